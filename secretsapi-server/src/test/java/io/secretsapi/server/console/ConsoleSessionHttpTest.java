package io.secretsapi.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.server.TestServer;
import io.secretsapi.testing.TestStore;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Login, the session cookie, logout and expiry, over HTTP against both stores. */
class ConsoleSessionHttpTest {

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void logIn_validKey_setsNarrowCookieAndKeepsNoKey(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      ConsoleClient c = new ConsoleClient(s.server().baseUrl());
      HttpResponse<String> r = c.logIn(s.rootKey());
      assertThat(r.statusCode()).isEqualTo(303);
      assertThat(r.headers().firstValue("Location")).hasValue("/console");
      String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
      assertThat(cookie)
          .startsWith("secretsapi-console=")
          .contains("; Path=/console", "; HttpOnly", "; SameSite=Strict")
          .doesNotContain(s.rootKey());
      assertThat(c.get("/console/login").headers().firstValue("Location")).hasValue("/console");
      HttpResponse<String> home = c.get("/console");
      assertThat(home.statusCode()).isEqualTo(200);
      assertThat(home.body()).contains("Operational").doesNotContain(s.rootKey());
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void logIn_wrongKey_refused401AndAuditedAsAuthFail(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      ConsoleClient c = new ConsoleClient(s.server().baseUrl());
      HttpResponse<String> r = c.logIn("sk_nope_" + "x".repeat(43));
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
      assertThat(r.body()).contains("not valid");
      assertThat(s.auditRecords())
          .anySatisfy(
              rec ->
                  assertThat(rec)
                      .contains("\"type\":\"auth.fail\"", "POST /console/login", "credential"));
      assertThat(c.get("/console").statusCode()).isEqualTo(303);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void page_withoutSession_redirectsToLogin(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      ConsoleClient c = new ConsoleClient(s.server().baseUrl());
      for (String path : new String[] {"/console", "/console/secrets"}) {
        HttpResponse<String> r = c.get(path);
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).hasValue("/console/login");
      }
      assertThat(c.get("/").headers().firstValue("Location")).hasValue("/console");
      assertThat(c.get("/ui").headers().firstValue("Location")).hasValue("/console");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void page_idleSessionExpired_redirectsToLogin(TestStore store) throws InterruptedException {
    Map<String, String> config = Map.of("console.session_idle", "1s", "console.session_max", "1s");
    try (TestServer s = TestServer.start(store, config)) {
      ConsoleClient c = new ConsoleClient(s.server().baseUrl());
      c.logIn(s.rootKey());
      assertThat(c.get("/console").statusCode()).isEqualTo(200);
      Thread.sleep(1_200);
      HttpResponse<String> r = c.get("/console/secrets");
      assertThat(r.statusCode()).isEqualTo(303);
      assertThat(r.headers().firstValue("Location")).hasValue("/console/login");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void logOut_withCsrf_endsSession(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      ConsoleClient c = new ConsoleClient(s.server().baseUrl());
      c.logIn(s.rootKey());
      String csrf = c.csrf();
      HttpResponse<String> out = c.post("/console/logout", Map.of("_csrf", csrf));
      assertThat(out.statusCode()).isEqualTo(303);
      assertThat(c.get("/console").statusCode()).isEqualTo(303);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void page_apiKeyRevoked_sessionEnds(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      String key = ConsoleScopesHttpTest.keyWith(s, "secrets:read");
      ConsoleClient c = new ConsoleClient(s.server().baseUrl());
      c.logIn(key);
      assertThat(c.get("/console/secrets").statusCode()).isEqualTo(200);
      s.root().revokeApiKey(key.substring(0, "sk_".length() + 16));
      assertThat(c.get("/console/secrets").statusCode()).isEqualTo(303);
    }
  }
}
