package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.secretsapi.client.Response;
import io.secretsapi.testing.TestStore;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One upstream client serves every caller of the proxy: nothing an upstream tells it on one
 * tenant's call (a cookie, a challenge, a redirect) may travel with another tenant's call.
 */
class ProxyIsolationHttpTest {

  /**
   * An upstream on loopback that records each request's headers and answers by path: {@code
   * .../login} sets a session cookie, {@code .../challenge} answers 401 with a basic challenge,
   * {@code .../moved} a permanent redirect to the same host, anything else 200.
   */
  static final class SessionUpstream implements AutoCloseable {
    final HttpServer http;
    final List<Map<String, String>> got = new CopyOnWriteArrayList<>();

    SessionUpstream() throws Exception {
      http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      http.createContext("/", this::handle);
      http.start();
    }

    String host() {
      return "127.0.0.1:" + http.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws java.io.IOException {
      Map<String, String> seen = new HashMap<>();
      ex.getRequestHeaders().forEach((k, v) -> seen.put(k.toLowerCase(), String.join(",", v)));
      seen.put(":path", ex.getRequestURI().getRawPath());
      got.add(seen);
      String path = ex.getRequestURI().getPath();
      int status = 200;
      if (path.endsWith("/login")) {
        ex.getResponseHeaders().add("Set-Cookie", "session=tenant-x-session; Path=/");
        ex.getResponseHeaders().add("Set-Cookie", "sso=tenant-x-sso; Path=/; Max-Age=3600");
      } else if (path.endsWith("/challenge")) {
        ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"upstream\"");
        status = 401;
      } else if (path.endsWith("/moved")) {
        ex.getResponseHeaders().add("Location", "/v1/elsewhere");
        status = 308;
      }
      byte[] b = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(status, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    }

    @Override
    public void close() {
      http.stop(0);
    }
  }

  private static TestServer server(TestStore store, SessionUpstream up) {
    TestServer s = TestServer.start(store, Map.of("proxy.insecure_upstreams", up.host()));
    Response p =
        s.root().send("PUT", "/policies/KEY-SCOPE-17", ProxyHttpTest.POLICY, "application/yaml");
    assertThat(p.status()).as(p.body()).isEqualTo(200);
    return s;
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void proxy_cookieSetOnOneTenantsCall_isNeverSentWithAnotherTenantsCall(TestStore store)
      throws Exception {
    try (SessionUpstream up = new SessionUpstream();
        TestServer s = server(store, up)) {
      String x =
          ProxyHttpTest.token(
              s.root(), "openai", "sk-proj-tenant-x-0123456789", up.host(), Map.of());
      String y =
          ProxyHttpTest.token(
              s.root(), "openai", "sk-proj-tenant-y-9876543210", up.host(), Map.of());

      Response login = ProxyHttpTest.call(s, x, "GET", up.host() + "/v1/login", null);
      assertThat(login.status()).as(login.body()).isEqualTo(200);
      Response next = ProxyHttpTest.call(s, y, "GET", up.host() + "/v1/models", null);
      assertThat(next.status()).as(next.body()).isEqualTo(200);
      Response again = ProxyHttpTest.call(s, x, "GET", up.host() + "/v1/models", null);
      assertThat(again.status()).as(again.body()).isEqualTo(200);

      assertThat(up.got).hasSize(3);
      assertThat(up.got.get(1)).as("tenant y's call").doesNotContainKey("cookie");
      assertThat(up.got.get(2)).as("tenant x's own next call").doesNotContainKey("cookie");
      assertThat(up.got.get(1).get("authorization"))
          .isEqualTo("Bearer sk-proj-tenant-y-9876543210");
      assertThat(login.headers().allValues("Set-Cookie"))
          .as("as docs/proxy.md says, an upstream's cookies are not passed back")
          .isEmpty();
      assertThat(s.server().proxyClientState()).as("cookies, authentications, redirects").isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void proxy_challengeOrRedirectOnOneTenantsCall_isNotRememberedForTheNext(TestStore store)
      throws Exception {
    try (SessionUpstream up = new SessionUpstream();
        TestServer s = server(store, up)) {
      String x =
          ProxyHttpTest.token(
              s.root(), "openai", "sk-proj-tenant-x-0123456789", up.host(), Map.of());
      String y =
          ProxyHttpTest.token(
              s.root(), "openai", "sk-proj-tenant-y-9876543210", up.host(), Map.of());

      Response challenged = ProxyHttpTest.call(s, x, "GET", up.host() + "/v1/challenge", null);
      assertThat(challenged.status()).as("the challenge is the caller's answer").isEqualTo(401);
      assertThat(challenged.headers().firstValue("WWW-Authenticate")).isPresent();
      Response moved = ProxyHttpTest.call(s, x, "GET", up.host() + "/v1/moved", null);
      assertThat(moved.status()).as("a redirect is passed back, not followed").isEqualTo(308);
      Response next = ProxyHttpTest.call(s, y, "GET", up.host() + "/v1/moved", null);
      assertThat(next.status()).as("a redirect is not remembered either").isEqualTo(308);

      assertThat(up.got).hasSize(3);
      Map<String, String> ys = up.got.get(2);
      assertThat(ys.get(":path")).isEqualTo("/v1/moved");
      assertThat(ys.get("authorization"))
          .as("exactly tenant y's injected key, no cached answer to a challenge")
          .isEqualTo("Bearer sk-proj-tenant-y-9876543210");
      assertThat(ys).doesNotContainKey("cookie").doesNotContainKey("proxy-authorization");
      assertThat(s.server().proxyClientState()).as("cookies, authentications, redirects").isEmpty();
    }
  }
}
