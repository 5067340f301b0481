package io.secretsapi.cli;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The loopback forwarder of {@code secretsapi run}: the command's base URL points here, at {@code
 * http://127.0.0.1:PORT/proxy/HOST}, and each call is sent on to the broker's {@code /proxy/...}
 * with the lease's current token, so a command that reads its API key once keeps working past the
 * first token's expiry.
 *
 * <p>A call must present the token the command was given (as {@code Authorization: Bearer}, {@code
 * x-api-key}, {@code api-key} or {@code x-goog-api-key}, where the SDKs put an API key); it is
 * compared in constant time with the digest of that token, and a call without it is refused with
 * {@code 401} and sent nowhere. Only {@code /proxy/...} is forwarded. Answers stream back as they
 * arrive, chunk by chunk (server-sent events are not held back); request bodies are read whole, up
 * to {@link #MAX_BODY} bytes, which is above the broker's own proxy limit.
 */
final class Forwarder implements AutoCloseable {
  static final int MAX_BODY = 64 * 1024 * 1024;

  /** Headers not sent on: the caller's credentials, hop-by-hop, and those the client sets. */
  private static final Set<String> DROPPED_REQUEST =
      Set.of(
          "authorization",
          "x-api-key",
          "api-key",
          "x-goog-api-key",
          "host",
          "connection",
          "keep-alive",
          "proxy-authorization",
          "proxy-connection",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "content-length",
          "expect",
          "http2-settings");

  /** Answer headers not passed back: hop-by-hop ones, and those the server writes itself. */
  private static final Set<String> DROPPED_ANSWER =
      Set.of(
          "connection",
          "keep-alive",
          "transfer-encoding",
          "content-length",
          "date",
          "proxy-connection",
          "trailer",
          "upgrade");

  private final HttpServer http;
  private final ExecutorService pool;
  private final HttpClient client;
  private final URI broker;
  private final byte[] tokenDigest;
  private final TokenLease lease;
  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();

  /** Listens on a free loopback port; {@code childToken} is the token the command holds. */
  Forwarder(String brokerAddress, String childToken, TokenLease lease) throws IOException {
    this.broker = URI.create(strip(brokerAddress));
    this.tokenDigest = sha256(childToken);
    this.lease = lease;
    this.pool =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "secretsapi-run-forwarder");
              t.setDaemon(true);
              return t;
            });
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(pool)
            .build();
    this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    http.setExecutor(pool);
    http.createContext("/", this::handle);
    http.start();
  }

  /** The forwarder's address, such as {@code http://127.0.0.1:41234}. */
  String address() {
    InetSocketAddress a = http.getAddress();
    return "http://" + a.getAddress().getHostAddress() + ":" + a.getPort();
  }

  private void handle(HttpExchange ex) {
    try {
      String path = ex.getRequestURI().getRawPath();
      if (!path.startsWith("/proxy/")) {
        problem(ex, 404, "not-found", "the forwarder of secretsapi run passes /proxy/... only");
        return;
      }
      if (!presentsToken(ex.getRequestHeaders())) {
        problem(
            ex,
            401,
            "unauthorized",
            "present the token secretsapi run gave the command as its key");
        return;
      }
      byte[] body = readBody(ex);
      if (body == null) {
        problem(ex, 413, "too-large", "the request body is over " + MAX_BODY + " bytes");
        return;
      }
      forward(ex, path, body);
    } catch (IOException gone) {
      // the command closed its connection, or the broker's answer broke off: nothing to answer
    } catch (IllegalArgumentException bad) {
      // a target or header the JDK's client will not send (a raw space, a restricted name)
      try {
        problem(ex, 400, "bad-request", "the forwarder cannot send this request on");
      } catch (IOException | IllegalStateException gone) {
        // the answer had already begun, or the command left
      }
    } finally {
      ex.close();
    }
  }

  private void forward(HttpExchange ex, String path, byte[] body) throws IOException {
    String query = ex.getRequestURI().getRawQuery();
    URI target = URI.create(broker + path + (query == null ? "" : "?" + query));
    HttpRequest.Builder b =
        HttpRequest.newBuilder(target)
            .method(
                ex.getRequestMethod(),
                body.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    ex.getRequestHeaders()
        .forEach(
            (name, values) -> {
              if (!DROPPED_REQUEST.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> b.header(name, v));
              }
            });
    try (TokenLease.Borrowed t = lease.borrow()) {
      b.header("Authorization", "Bearer " + t.token());
      HttpResponse<InputStream> r;
      try {
        r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      } catch (IOException e) {
        problem(ex, 502, "broker-unreachable", "cannot reach the broker at " + broker);
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      relay(ex, r);
    }
  }

  /** Passes the broker's answer back, writing each chunk as soon as it arrives. */
  private static void relay(HttpExchange ex, HttpResponse<InputStream> r) throws IOException {
    try (InputStream in = r.body()) {
      Headers out = ex.getResponseHeaders();
      r.headers()
          .map()
          .forEach(
              (name, values) -> {
                if (!name.startsWith(":")
                    && !DROPPED_ANSWER.contains(name.toLowerCase(Locale.ROOT))) {
                  values.forEach(v -> out.add(name, v));
                }
              });
      long length = r.headers().firstValueAsLong("content-length").orElse(-1);
      boolean noBody =
          ex.getRequestMethod().equals("HEAD") || r.statusCode() == 204 || r.statusCode() == 304;
      ex.sendResponseHeaders(r.statusCode(), noBody || length == 0 ? -1 : Math.max(length, 0));
      if (noBody) {
        return;
      }
      OutputStream body = ex.getResponseBody();
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) > 0) {
        body.write(buf, 0, n);
        body.flush();
      }
      body.close();
    }
  }

  private boolean presentsToken(Headers h) {
    String auth = h.getFirst("Authorization");
    String presented = null;
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      presented = auth.substring(7).trim();
    } else {
      for (String name : new String[] {"x-api-key", "api-key", "x-goog-api-key"}) {
        if (h.getFirst(name) != null) {
          presented = h.getFirst(name).trim();
          break;
        }
      }
    }
    return presented != null && MessageDigest.isEqual(sha256(presented), tokenDigest);
  }

  private static byte[] readBody(HttpExchange ex) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      byte[] b = in.readNBytes(MAX_BODY + 1);
      return b.length > MAX_BODY ? null : b;
    }
  }

  private static void problem(HttpExchange ex, int status, String type, String detail)
      throws IOException {
    String json =
        "{\"type\":\"https://secretsapi.io/problems/"
            + type
            + "\",\"title\":\""
            + type.replace('-', ' ')
            + "\",\"status\":"
            + status
            + ",\"detail\":\""
            + detail.replace("\\", "\\\\").replace("\"", "\\\"")
            + "\"}";
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/problem+json");
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  private static String strip(String a) {
    return a.endsWith("/") ? a.substring(0, a.length() - 1) : a;
  }

  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    http.stop(0);
    pool.shutdownNow();
  }
}
