package io.secretsapi.client;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small Java SDK over the broker's HTTP API.
 *
 * <p>Answers are JSON trees in the API's own field names; a problem answer raises {@link
 * ApiException}. Thread-safe; reuse one instance. {@link #toString()} does not print the key.
 */
public final class SecretsApiClient implements AutoCloseable {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private final URI base;
  private final Optional<String> apiKey;

  /** The caller's own HttpClient, or none: then each call goes through {@link PlainHttp}. */
  private final Optional<HttpClient> http;

  /** Made on first use for a method a URL connection cannot send (PATCH). */
  private HttpClient fallback;

  private SecretsApiClient(URI base, Optional<String> apiKey, Optional<HttpClient> http) {
    this.base = base;
    this.apiKey = apiKey;
    this.http = http;
  }

  /** A client for the broker at {@code address} (such as {@code http://127.0.0.1:8200}). */
  public static SecretsApiClient create(String address, String apiKey) {
    requireNonNull(address, "address");
    String a = address.endsWith("/") ? address.substring(0, address.length() - 1) : address;
    return new SecretsApiClient(URI.create(a), Optional.ofNullable(apiKey), Optional.empty());
  }

  /**
   * A client that sends through {@code http}: an HttpClient of the caller's own (a proxy, TLS
   * settings, or a wrapper that checks every answer, as the broker's tests do).
   */
  public static SecretsApiClient create(String address, String apiKey, HttpClient http) {
    requireNonNull(address, "address");
    requireNonNull(http, "http");
    String a = address.endsWith("/") ? address.substring(0, address.length() - 1) : address;
    return new SecretsApiClient(URI.create(a), Optional.ofNullable(apiKey), Optional.of(http));
  }

  /**
   * Closes the HttpClient this client sends through, if it was given one (on Java 21 and newer,
   * where HttpClient can be closed; the clients made by {@link #withKey} share it). A process that
   * exits right after its calls should close such clients first: the JVM waits up to 300 ms at exit
   * for a thread left in native code, as the HttpClient's selector thread is. A client made by
   * address alone holds no thread.
   */
  @Override
  public void close() {
    closeQuietly(http.orElse(null));
    synchronized (this) {
      closeQuietly(fallback);
    }
  }

  private static void closeQuietly(HttpClient client) {
    if (client instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        // closing at the end of a process: nothing to do about it
      }
    }
  }

  /** The same broker with another API key. */
  public SecretsApiClient withKey(String key) {
    return new SecretsApiClient(base, Optional.ofNullable(key), http);
  }

  // Secrets

  public JsonNode createSecret(Map<String, ?> body) {
    return call("POST", "/secrets", body);
  }

  public JsonNode listSecrets(Map<String, String> query) {
    return call("GET", "/secrets" + query(query), null);
  }

  /** One page of the token inventory; its {@code next_cursor} asks for the next. */
  public JsonNode listTokens(Map<String, String> query) {
    return call("GET", "/tokens" + query(query), null);
  }

  /**
   * Every item of a listing ({@code /secrets}, {@code /tokens}, {@code /audit/trail}) under {@code
   * query}, page after page by {@code next_cursor}, handed to {@code each} in the listing's order.
   * Each page costs the broker the same at any depth. Answers how many items there were.
   */
  public long forEachItem(
      String path, Map<String, String> query, java.util.function.Consumer<JsonNode> each) {
    requireNonNull(each, "each");
    Map<String, String> q = new LinkedHashMap<>(query);
    q.remove("offset");
    long n = 0;
    while (true) {
      JsonNode page = call("GET", path + query(q), null);
      for (JsonNode item : page.get("items")) {
        each.accept(item);
        n++;
      }
      JsonNode next = page.get("next_cursor");
      if (next == null || next.isNull()) {
        return n;
      }
      q.put("cursor", next.asString());
    }
  }

  public JsonNode getSecret(String id) {
    return call("GET", "/secrets/" + seg(id), null);
  }

  public JsonNode putSecretValue(String id, String value) {
    return call("PUT", "/secrets/" + seg(id) + "/value", Map.of("value", value));
  }

  public JsonNode secretVersions(String id) {
    return call("GET", "/secrets/" + seg(id) + "/versions", null);
  }

  /** Rotates; {@code value} empty for generated secrets, {@code grace} such as {@code 1h}. */
  public JsonNode rotateSecret(String id, Optional<String> value, Optional<String> grace) {
    Map<String, Object> body = new LinkedHashMap<>();
    value.ifPresent(v -> body.put("value", v));
    grace.ifPresent(g -> body.put("grace", g));
    return call("POST", "/secrets/" + seg(id) + "/rotate", body);
  }

  /**
   * Queues a rotation through the rotation engine ({@code 202}, {@code status: queued}); a retry
   * with the same {@code idempotencyKey} answers the same rotation.
   */
  public JsonNode queueRotation(
      String id, Optional<String> reason, Optional<String> idempotencyKey) {
    Map<String, Object> body = new LinkedHashMap<>();
    reason.ifPresent(r -> body.put("reason", r));
    Map<String, String> headers = new LinkedHashMap<>();
    idempotencyKey.ifPresent(k -> headers.put("Idempotency-Key", k));
    Response r =
        send(
            "POST",
            "/secrets/" + seg(id) + "/rotate",
            JSON.writeValueAsString(body),
            "application/json",
            headers);
    JsonNode tree = r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
    if (r.status() >= 400) {
      throw new ApiException(r.status(), tree);
    }
    return tree;
  }

  public JsonNode deleteSecret(String id) {
    return call("DELETE", "/secrets/" + seg(id), null);
  }

  // Service accounts and API keys

  public JsonNode createServiceAccount(String name, String description) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("description", description);
    return call("POST", "/service-accounts", body);
  }

  public JsonNode listServiceAccounts() {
    return call("GET", "/service-accounts", null);
  }

  public JsonNode revokeServiceAccount(String id) {
    return call("POST", "/service-accounts/" + seg(id) + "/revoke", null);
  }

  public JsonNode createApiKey(Map<String, ?> body) {
    return call("POST", "/api-keys", body);
  }

  public JsonNode listApiKeys(Optional<String> serviceAccountId) {
    return call(
        "GET",
        "/api-keys" + serviceAccountId.map(a -> "?service_account_id=" + enc(a)).orElse(""),
        null);
  }

  public JsonNode getApiKey(String id) {
    return call("GET", "/api-keys/" + seg(id), null);
  }

  public JsonNode rotateApiKey(String id, Optional<String> grace) {
    return call(
        "POST",
        "/api-keys/" + seg(id) + "/rotate",
        grace.map(g -> Map.of("grace", g)).orElse(null));
  }

  public JsonNode revokeApiKey(String id) {
    return call("POST", "/api-keys/" + seg(id) + "/revoke", null);
  }

  // Operations

  public JsonNode rotateKek() {
    return call("POST", "/admin/kek/rotate", null);
  }

  public JsonNode ready() {
    return call("GET", "/health/ready", null);
  }

  /** Sends a request and answers the JSON body, raising {@link ApiException} for a problem. */
  public JsonNode call(String method, String path, Object body) {
    Response r =
        send(method, path, body == null ? null : JSON.writeValueAsString(body), "application/json");
    JsonNode tree = r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
    if (r.status() >= 400) {
      throw new ApiException(r.status(), tree);
    }
    return tree;
  }

  /** Sends a raw request with the client's key; {@code body} may be null. */
  public Response send(String method, String path, String body, String contentType) {
    return send(method, path, body, contentType, Map.of());
  }

  /** Sends a raw request with extra headers. */
  public Response send(
      String method, String path, String body, String contentType, Map<String, String> headers) {
    URI uri = URI.create(base + path);
    Map<String, String> all = new LinkedHashMap<>();
    apiKey.ifPresent(k -> all.put("Authorization", "Bearer " + k));
    all.putAll(headers);
    if (body != null) {
      all.put("Content-Type", contentType);
    }
    try {
      if (http.isEmpty() && PlainHttp.METHODS.contains(method)) {
        return PlainHttp.send(uri, method, all, body, TIMEOUT);
      }
      HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(TIMEOUT);
      all.forEach(b::header);
      b.method(
          method,
          body == null
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(body));
      HttpResponse<String> r = httpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.headers(), r.body());
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private HttpClient httpClient() {
    return http.orElseGet(
        () -> {
          synchronized (this) {
            if (fallback == null) {
              fallback = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            }
            return fallback;
          }
        });
  }

  private UncheckedIOException unreachable(IOException e) {
    return new UncheckedIOException(
        "cannot reach the broker at " + base + ": " + e.getMessage(), e);
  }

  /**
   * Opens a streaming GET (server-sent events, JSON Lines) and hands each line of the answer to
   * {@code lines} until it returns false or the stream ends. An error answer is thrown as an {@link
   * ApiException}.
   */
  public void stream(String path, Map<String, String> headers, Predicate<String> lines) {
    Map<String, String> all = new LinkedHashMap<>();
    apiKey.ifPresent(k -> all.put("Authorization", "Bearer " + k));
    all.putAll(headers);
    try {
      int status;
      java.io.InputStream body;
      if (http.isEmpty()) {
        PlainHttp.Opened o =
            PlainHttp.open(
                URI.create(base + path), "GET", all, null, Duration.ofSeconds(5), Duration.ZERO);
        status = o.status();
        body = o.body();
      } else {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
        all.forEach(b::header);
        HttpResponse<java.io.InputStream> r =
            http.get().send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        status = r.statusCode();
        body = r.body();
      }
      try (var in =
          new java.io.BufferedReader(new java.io.InputStreamReader(body, StandardCharsets.UTF_8))) {
        if (status >= 400) {
          String text = in.lines().collect(Collectors.joining("\n"));
          throw new ApiException(status, text.isEmpty() ? JSON.nullNode() : JSON.readTree(text));
        }
        String line;
        while ((line = in.readLine()) != null) {
          if (!lines.test(line)) {
            return;
          }
        }
      }
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static String query(Map<String, String> q) {
    if (q.isEmpty()) {
      return "";
    }
    return "?"
        + q.entrySet().stream()
            .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
            .collect(Collectors.joining("&"));
  }

  private static String seg(String s) {
    return enc(s).replace("+", "%20");
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "SecretsApiClient[" + base + ", key=" + (apiKey.isPresent() ? "<set>" : "<none>") + "]";
  }
}
