package io.secretsapi.server.console;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The console over plain HTTP, as a browser would speak it but without one: a cookie jar, form
 * posts, no redirects followed (so that tests see them). For tests of what the server answers.
 */
final class ConsoleClient {
  private static final Pattern CSRF = Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"");

  private final String base;
  private final CookieManager cookies = new CookieManager();
  private final HttpClient http;

  ConsoleClient(String base) {
    this(base, HttpClient.newBuilder());
  }

  /** Over HTTPS, trusting what {@code ssl} trusts. */
  ConsoleClient(String base, javax.net.ssl.SSLContext ssl) {
    this(base, HttpClient.newBuilder().sslContext(ssl));
  }

  private ConsoleClient(String base, HttpClient.Builder builder) {
    this.base = base;
    this.http = builder.cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /** Logs in with {@code apiKey}; answers the login's response (303 to /console on success). */
  HttpResponse<String> logIn(String apiKey) {
    return post("/console/login", Map.of("api_key", apiKey));
  }

  HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
  }

  HttpResponse<String> get(String path, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
    headers.forEach(b::header);
    return send(b.build());
  }

  HttpResponse<String> post(String path, Map<String, String> form) {
    return post(path, form, Map.of());
  }

  HttpResponse<String> post(String path, Map<String, String> form, Map<String, String> headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(encode(form)));
    headers.forEach(b::header);
    return send(b.build());
  }

  /** A form post carrying this session's CSRF token, as the console's own forms do. */
  HttpResponse<String> postWithCsrf(String path, Map<String, String> form) {
    Map<String, String> f = new LinkedHashMap<>(form);
    f.put("_csrf", csrf());
    return post(path, f);
  }

  /** The session's CSRF token, as the overview's meta tag carries it. */
  String csrf() {
    Matcher m = CSRF.matcher(get("/console").body());
    if (!m.find()) {
      throw new AssertionError("no csrf-token meta tag on /console: not logged in?");
    }
    return m.group(1);
  }

  CookieManager cookies() {
    return cookies;
  }

  private HttpResponse<String> send(HttpRequest r) {
    try {
      return http.send(r, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String encode(Map<String, String> form) {
    return form.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }
}
