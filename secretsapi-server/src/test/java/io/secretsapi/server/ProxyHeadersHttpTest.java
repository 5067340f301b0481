package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.secretsapi.testing.TestStore;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A proxied answer carries each header the upstream sent as often and as it was sent, whatever the
 * kind of answer (plain, JSON with repeated headers, a server-sent event stream, an error, a large
 * answer that streams, no body, HEAD): compared line by line on raw HTTP with the same request sent
 * to the upstream directly. The broker adds only its own documented headers.
 */
class ProxyHeadersHttpTest {
  /** Headers the broker sends of its own; each only when the upstream sent none of that name. */
  static final Set<String> BROKER_OWN =
      Set.of("x-request-id", "x-secretsapi-audit-ref", "cache-control", "x-content-type-options");

  /** Framing, which the broker decides for its own connection. */
  static final Set<String> FRAMING = Set.of("content-length", "transfer-encoding", "connection");

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void proxy_everyKindOfAnswer_carriesEachUpstreamHeaderOnceAsSent(TestStore store)
      throws Exception {
    HttpServer up = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    up.createContext("/", ProxyHeadersHttpTest::answer);
    up.start();
    String host = "127.0.0.1:" + up.getAddress().getPort();
    try (TestServer s = ProxyHttpTest.server(store, host)) {
      String token =
          ProxyHttpTest.token(
              s.root(),
              "openai",
              "sk-proj-headers-0123456789abcdef",
              host,
              Map.of(
                  "upstream",
                  Map.of(
                      "hosts",
                      List.of(host),
                      "methods",
                      List.of("GET", "POST", "HEAD"),
                      "path_prefixes",
                      List.of("/v1"))));
      for (String[] call :
          List.of(
              new String[] {"GET", "/v1/plain"},
              new String[] {"POST", "/v1/json"},
              new String[] {"POST", "/v1/sse"},
              new String[] {"POST", "/v1/error"},
              new String[] {"GET", "/v1/big"},
              new String[] {"GET", "/v1/empty"},
              new String[] {"HEAD", "/v1/json"})) {
        byte[] body = call[0].equals("POST") ? "{\"model\":\"m\"}".getBytes() : null;
        Map<String, String> sent =
            body == null ? Map.of() : Map.of("Content-Type", "application/json");
        RawHttp.Answer direct =
            RawHttp.exchange(up.getAddress().getPort(), call[0], call[1], sent, body);
        Map<String, String> withToken = new java.util.HashMap<>(sent);
        withToken.put("Authorization", "Bearer " + token);
        withToken.put("Accept-Encoding", "gzip, deflate, br"); // as SDKs send it
        RawHttp.Answer proxied =
            RawHttp.exchange(
                s.server().port(), call[0], "/proxy/" + host + call[1], withToken, body);
        String what = call[0] + " " + call[1] + ": " + proxied.lines();
        assertThat(proxied.status()).as(what).isEqualTo(direct.status());
        Set<String> upstreamNames = names(direct);
        for (String name : upstreamNames) {
          if (FRAMING.contains(name)) {
            continue;
          }
          assertThat(proxied.count(name))
              .as(what + " count of " + name)
              .isEqualTo(direct.count(name));
          if (!name.equals("date")) {
            assertThat(proxied.values(name).stream().map(v -> canonical(name, v)).toList())
                .as(what + " " + name)
                .isEqualTo(direct.values(name).stream().map(v -> canonical(name, v)).toList());
          }
        }
        for (String name : names(proxied)) {
          if (!upstreamNames.contains(name) && !FRAMING.contains(name)) {
            assertThat(BROKER_OWN).as(what + " header the upstream did not send").contains(name);
            assertThat(proxied.count(name)).as(what + " count of " + name).isEqualTo(1);
          }
        }
        assertThat(proxied.body()).as(what).isEqualTo(direct.body());
      }
    } finally {
      up.stop(0);
    }
  }

  /**
   * A header value as Jetty's HTTP parser, the proxy's client, hands it on: a media type's
   * parameters without the optional space ({@code text/plain;charset=utf-8}), the same type.
   */
  private static String canonical(String name, String value) {
    return name.equals("content-type") ? value.replace("; ", ";") : value;
  }

  private static Set<String> names(RawHttp.Answer a) {
    Set<String> names = new TreeSet<>();
    a.lines().forEach(l -> names.add(l.getKey().toLowerCase(Locale.ROOT)));
    return names;
  }

  /** The upstream: one kind of answer per path. */
  private static void answer(HttpExchange ex) throws java.io.IOException {
    ex.getRequestBody().readAllBytes();
    var h = ex.getResponseHeaders();
    String path = ex.getRequestURI().getPath();
    boolean head = ex.getRequestMethod().equals("HEAD");
    switch (path) {
      case "/v1/plain" -> send(ex, 200, "text/plain; charset=utf-8", "hello\n".getBytes());
      case "/v1/json" -> {
        h.add("X-Multi", "a");
        h.add("X-Multi", "b");
        h.add("Cache-Control", "private, max-age=0");
        h.add("Server", "fake-upstream/1.0");
        h.add("X-Content-Type-Options", "nosniff");
        h.add("ETag", "\"v1\"");
        byte[] b = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\"}".getBytes();
        if (head) {
          h.add("Content-Type", "application/json");
          ex.sendResponseHeaders(200, -1);
          ex.close();
        } else {
          send(ex, 200, "application/json", b);
        }
      }
      case "/v1/sse" -> {
        h.add("Content-Type", "text/event-stream; charset=utf-8");
        h.add("X-Multi", "one");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
          out.write("data: {\"n\":1}\n\n".getBytes(StandardCharsets.UTF_8));
          out.flush();
          out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        }
      }
      case "/v1/error" -> {
        h.add("Retry-After", "7");
        send(
            ex,
            429,
            "application/json",
            "{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit\"}}".getBytes());
      }
      case "/v1/big" -> {
        byte[] b = new byte[(int) ProxyRoutes.SMALL_ANSWER + 4096];
        java.util.Arrays.fill(b, (byte) 'x');
        send(ex, 200, "application/octet-stream", b);
      }
      default -> {
        ex.sendResponseHeaders(204, -1);
        ex.close();
      }
    }
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body)
      throws java.io.IOException {
    ex.getResponseHeaders().add("Content-Type", type);
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }
}
