package io.secretsapi.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The transport a client made by address alone sends through: one {@code HttpURLConnection} per
 * call, as the JDK's HttpClient would send it (no proxy, no redirects followed).
 *
 * <p>Why not the HttpClient: a command-line call makes one or two requests and exits, and the
 * HttpClient costs it about 60 ms before the first byte (its selector thread, and the default TLS
 * context it loads even for {@code http://}), and on Java 17, where it cannot be closed, up to 300
 * ms more at exit while the JVM waits for that thread. A URL connection loads TLS only for an
 * {@code https://} address and leaves no thread behind. Methods it cannot send (PATCH) go through
 * an HttpClient made on first use.
 */
final class PlainHttp {
  static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS");

  private PlainHttp() {}

  /** An open answer: status, headers, and the body still to read. */
  record Opened(int status, HttpHeaders headers, InputStream body) {}

  static Opened open(
      URI uri,
      String method,
      Map<String, String> headers,
      byte[] body,
      Duration connectTimeout,
      Duration readTimeout)
      throws IOException {
    HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
    c.setRequestMethod(method);
    c.setInstanceFollowRedirects(false);
    c.setUseCaches(false);
    c.setConnectTimeout((int) connectTimeout.toMillis());
    c.setReadTimeout((int) readTimeout.toMillis());
    headers.forEach(c::setRequestProperty);
    if (body != null) {
      // not in streaming mode: a streamed request answered 401 throws instead of giving the
      // problem document (the connection would have to resend it to authenticate)
      c.setDoOutput(true);
      try (OutputStream out = c.getOutputStream()) {
        out.write(body);
      }
    }
    int status = c.getResponseCode();
    InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
    return new Opened(status, headers(c), in == null ? InputStream.nullInputStream() : in);
  }

  static Response send(
      URI uri, String method, Map<String, String> headers, String body, Duration timeout)
      throws IOException {
    Opened o =
        open(
            uri,
            method,
            headers,
            body == null ? null : body.getBytes(StandardCharsets.UTF_8),
            Duration.ofSeconds(5),
            timeout);
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (InputStream in = o.body()) {
      in.transferTo(buf);
    }
    return new Response(o.status(), o.headers(), buf.toString(StandardCharsets.UTF_8));
  }

  private static HttpHeaders headers(HttpURLConnection c) {
    Map<String, List<String>> named = new LinkedHashMap<>();
    c.getHeaderFields()
        .forEach(
            (name, values) -> {
              if (name != null) { // the status line
                named.put(name, values);
              }
            });
    return HttpHeaders.of(named, (n, v) -> true);
  }
}
