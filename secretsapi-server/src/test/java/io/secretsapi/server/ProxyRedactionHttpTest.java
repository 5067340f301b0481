package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.secretsapi.client.Response;
import io.secretsapi.testing.TestStore;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 17, defect 8: the proxy redacted the injected key only as it was sent, so an upstream that
 * echoed it JSON-escaped, percent-encoded, base64-encoded or recased passed it to the caller.
 */
class ProxyRedactionHttpTest {
  static final String KEY = "sk-proj/Redact+Me=0123456789abcdef";
  static final String HEX_KEY = "0123456789abcdef0123456789abcdef";

  /** Every spelling of {@code key} an HTTP or JSON echo may produce. */
  static List<String> echoes(String key) {
    List<String> all = new ArrayList<>();
    all.add(key.replace("/", "\\/"));
    StringBuilder u = new StringBuilder();
    key.chars().forEach(c -> u.append(String.format(Locale.ROOT, "\\u%04x", c)));
    all.add(u.toString());
    all.add(u.toString().toUpperCase(Locale.ROOT).replace("\\U", "\\u"));
    String form = URLEncoder.encode(key, StandardCharsets.UTF_8);
    all.add(form);
    all.add(
        java.util.regex.Pattern.compile("%[0-9A-F]{2}")
            .matcher(form)
            .replaceAll(m -> m.group().toLowerCase(Locale.ROOT)));
    for (String prefix : List.of("", "a", "ab", "api:")) {
      byte[] b = (prefix + key + ":").getBytes(StandardCharsets.UTF_8);
      all.add(Base64.getEncoder().encodeToString(b));
      all.add(Base64.getUrlEncoder().withoutPadding().encodeToString(b));
    }
    if (key.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      all.add(key.toUpperCase(Locale.ROOT));
    }
    return all;
  }

  /**
   * An upstream that echoes the key it received (Bearer) in every spelling, in one piece or ({@code
   * .../stream}) a few bytes at a time; {@code .../plain} answers an ordinary body.
   */
  static final class EchoingUpstream implements AutoCloseable {
    static final String PLAIN =
        "{\"id\":\"c-1\",\"text\":\"a \\/ b, %41, \\u0041, YWJj, sk-proj\",\"n\":[1,2]}";
    final HttpServer http;

    EchoingUpstream() throws Exception {
      http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      http.createContext("/", this::handle);
      http.start();
    }

    String host() {
      return "127.0.0.1:" + http.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws java.io.IOException {
      String auth = String.valueOf(ex.getRequestHeaders().getFirst("Authorization"));
      String key = auth.startsWith("Bearer ") ? auth.substring(7) : auth;
      String path = ex.getRequestURI().getPath();
      StringBuilder body = new StringBuilder(path.endsWith("/plain") ? PLAIN : "{\"echo\":[");
      if (!path.endsWith("/plain")) {
        for (String e : echoes(key)) {
          body.append('"').append(e).append("\",");
        }
        body.append("\"end\"]}");
      }
      byte[] b = body.toString().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.getResponseHeaders()
          .add("X-Echo", Base64.getEncoder().encodeToString(("u:" + key).getBytes()));
      if (path.endsWith("/stream")) {
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        for (int at = 0; at < b.length; at += 7) {
          out.write(b, at, Math.min(7, b.length - at));
          out.flush();
        }
        out.close();
      } else {
        ex.sendResponseHeaders(200, b.length);
        ex.getResponseBody().write(b);
      }
      ex.close();
    }

    @Override
    public void close() {
      http.stop(0);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void proxy_upstreamEchoesTheKeyEncoded_callerGetsNoSpellingOfIt(TestStore store)
      throws Exception {
    try (EchoingUpstream up = new EchoingUpstream();
        TestServer s = TestServer.start(store, Map.of("proxy.insecure_upstreams", up.host()))) {
      Response p =
          s.root().send("PUT", "/policies/KEY-SCOPE-17", ProxyHttpTest.POLICY, "application/yaml");
      assertThat(p.status()).as(p.body()).isEqualTo(200);
      for (String key : List.of(KEY, HEX_KEY)) {
        String token = ProxyHttpTest.token(s.root(), "openai", key, up.host(), Map.of());
        for (String path : List.of("/v1/whole", "/v1/stream")) {
          Response r = ProxyHttpTest.call(s, token, "GET", up.host() + path, null);
          assertThat(r.status()).as(r.body()).isEqualTo(200);
          assertThat(r.body()).as(path).contains("[redacted]").endsWith("\"end\"]}");
          for (String echo : echoes(key)) {
            assertThat(r.body()).as(path + ": " + echo).doesNotContain(echo);
          }
          assertThat(r.body()).doesNotContain(key);
          assertThat(r.headers().firstValue("X-Echo").orElseThrow())
              .as("base64 of u:key in a header; only the bits of its first group that u sets stay")
              .matches("[A-Za-z0-9+/]{0,4}\\[redacted\\][A-Za-z0-9+/=]{0,4}");
        }
        Response plain = ProxyHttpTest.call(s, token, "GET", up.host() + "/v1/plain", null);
        assertThat(plain.body()).as("an ordinary body").isEqualTo(EchoingUpstream.PLAIN);
      }
    }
  }
}
