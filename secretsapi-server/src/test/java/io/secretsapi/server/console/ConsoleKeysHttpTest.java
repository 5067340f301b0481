package io.secretsapi.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.server.TestServer;
import io.secretsapi.testing.TestStore;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The keys, posture and map screens over HTTP: a key's secret on one page only, scopes as the API
 * has them, CSRF, and no stored value anywhere.
 */
class ConsoleKeysHttpTest {

  static String keyIdOf(HttpResponse<String> redirect) {
    String location = redirect.headers().firstValue("Location").orElseThrow();
    return location.substring(location.indexOf("created=") + "created=".length());
  }

  static String between(String html, String from, String to) {
    int a = html.indexOf(from) + from.length();
    return html.substring(a, html.indexOf(to, a));
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void createKey_secretOnTheNextPageOnlyOnce_neverInUrlOrAgain(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      ConsoleClient c = new ConsoleClient(s.server().baseUrl());
      c.logIn(s.rootKey());
      HttpResponse<String> made =
          c.postWithCsrf("/console/keys", Map.of("name", "once", "scopes", "audit:read"));
      assertThat(made.statusCode()).isEqualTo(303);
      String keyId = keyIdOf(made);
      assertThat(made.headers().firstValue("Location").orElseThrow())
          .isEqualTo("/console/keys?created=" + keyId);
      HttpResponse<String> shown = c.get("/console/keys?created=" + keyId);
      assertThat(shown.headers().firstValue("Cache-Control")).contains("no-store");
      String key = between(shown.body(), "<code id=\"new-key\">", "</code>");
      assertThat(key).startsWith(keyId + "_");
      String secretPart = key.substring(keyId.length() + 1);
      assertThat(s.root().withKey(key).getApiKey(keyId).get("name").asString()).isEqualTo("once");

      HttpResponse<String> again = c.get("/console/keys?created=" + keyId);
      assertThat(again.body()).doesNotContain(secretPart).contains(keyId + "_••••");
      // another session of the same operator never gets it either
      ConsoleClient other = new ConsoleClient(s.server().baseUrl());
      other.logIn(s.rootKey());
      HttpResponse<String> made2 =
          c.postWithCsrf("/console/keys", Map.of("name", "twice", "scopes", "audit:read"));
      assertThat(other.get("/console/keys?created=" + keyIdOf(made2)).body())
          .doesNotContain("<code id=\"new-key\">");
      assertThat(s.auditRecords()).allSatisfy(a -> assertThat(a).doesNotContain(secretPart));
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void auditReadKey_keysScreen_offersOnlyWhatTheApiAllowsAndRefusesForgedPosts(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      String rootKeyId =
          s.root().listApiKeys(Optional.empty()).get("items").get(0).get("id").asString();
      ConsoleClient c = new ConsoleClient(s.server().baseUrl());
      c.logIn(ConsoleScopesHttpTest.keyWith(s, "audit:read"));
      String page = c.get("/console/keys").body();
      // the API lets any key make keys for its own account with scopes it holds: only those show
      assertThat(page).contains("value=\"audit:read\"").doesNotContain("value=\"secrets:write\"");
      assertThat(page).doesNotContain(rootKeyId).doesNotContain("/console/keys/accounts");
      assertThat(ConsoleScopesHttpTest.postForms(page))
          .doesNotContain("/console/keys/accounts")
          .allSatisfy(a -> assertThat(a).doesNotContain(rootKeyId));

      HttpResponse<String> account =
          c.postWithCsrf("/console/keys/accounts", Map.of("name", "forged"));
      assertThat(account.statusCode()).isEqualTo(403);
      assertThat(account.body()).contains("keys:admin");
      HttpResponse<String> wider =
          c.postWithCsrf("/console/keys", Map.of("name", "wider", "scopes", "secrets:write"));
      assertThat(wider.statusCode()).isEqualTo(403);
      HttpResponse<String> rotate =
          c.postWithCsrf("/console/keys/" + rootKeyId + "/rotate", Map.of());
      assertThat(rotate.statusCode()).isEqualTo(404);
      HttpResponse<String> revoke =
          c.postWithCsrf("/console/keys/" + rootKeyId + "/revoke", Map.of());
      assertThat(revoke.statusCode()).isEqualTo(404);
      assertThat(s.root().getApiKey(rootKeyId).get("status").asString()).isEqualTo("active");
      assertThat(s.root().listServiceAccounts().get("items").toString()).doesNotContain("forged");
      assertThat(s.root().listApiKeys(Optional.empty()).get("items").toString())
          .doesNotContain("\"wider\"");

      // posture needs secrets:read: no screen, and its validate post is refused
      assertThat(c.get("/console/posture").statusCode()).isEqualTo(403);
      assertThat(c.postWithCsrf("/console/posture/sec_x/validate", Map.of()).statusCode())
          .isEqualTo(403);
      // the map is read only
      String map = c.get("/console/map").body();
      assertThat(ConsoleScopesHttpTest.postForms(map)).containsOnly("/console/logout");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void keysForms_withoutCsrf_refusedAndChangeNothing(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      String rootKeyId =
          s.root().listApiKeys(Optional.empty()).get("items").get(0).get("id").asString();
      ConsoleClient c = new ConsoleClient(s.server().baseUrl());
      c.logIn(s.rootKey());
      long before = s.root().listApiKeys(Optional.empty()).get("items").size();
      for (var post :
          List.of(
              c.post("/console/keys", Map.of("name", "nocsrf", "scopes", "audit:read")),
              c.post("/console/keys/" + rootKeyId + "/revoke", Map.of("_csrf", "wrong")),
              c.post("/console/keys/" + rootKeyId + "/rotate", Map.of()),
              c.post("/console/keys/accounts", Map.of("name", "nocsrf")))) {
        assertThat(post.statusCode()).isEqualTo(403);
        assertThat(post.body()).contains("CSRF");
      }
      assertThat(s.root().listApiKeys(Optional.empty()).get("items").size()).isEqualTo(before);
      assertThat(s.root().getApiKey(rootKeyId).get("status").asString()).isEqualTo("active");
      assertThat(s.root().listServiceAccounts().get("items").toString()).doesNotContain("nocsrf");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void keysPostureAndMap_secretWithCanaryValue_neverShowIt(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      String id =
          s.root()
              .createSecret(
                  Map.of(
                      "name", "canary",
                      "provider", "openai",
                      "resource_class", "model-access",
                      "environment", "production",
                      "owner", "<img src=x onerror=alert(1)>",
                      "value", ConsoleCanaryHttpTest.CANARY))
              .get("id")
              .asString();
      ConsoleClient c = new ConsoleClient(s.server().baseUrl());
      c.logIn(s.rootKey());
      List<HttpResponse<String>> seen =
          List.of(
              c.get("/console/keys"),
              c.get("/console/posture"),
              c.get("/console/posture?id=" + id),
              // no validation policy: the gate refuses, and the refusal repeats nothing
              c.postWithCsrf("/console/posture/" + id + "/validate", Map.of()),
              c.get("/console/map"),
              c.get("/console/map", Map.of("HX-Request", "true")),
              c.postWithCsrf(
                  "/console/keys",
                  Map.of("name", ConsoleCanaryHttpTest.CANARY, "scopes", "audit:read")));
      assertThat(seen.get(1).body()).contains("canary", "reveal disabled", "Not validated");
      assertThat(seen.get(2).body())
          .contains("&lt;img src=x onerror=alert(1)&gt;")
          .doesNotContain("<img src=x");
      assertThat(seen.get(3).statusCode()).isEqualTo(403);
      assertThat(seen.get(6).statusCode()).isEqualTo(400);
      assertThat(seen)
          .allSatisfy(
              r -> {
                assertThat(r.statusCode()).isLessThan(500);
                assertThat(r.body()).doesNotContain(ConsoleCanaryHttpTest.CANARY);
                assertThat(r.headers().map().toString())
                    .doesNotContain(ConsoleCanaryHttpTest.CANARY);
              });
      assertThat(s.auditRecords())
          .allSatisfy(a -> assertThat(a).doesNotContain(ConsoleCanaryHttpTest.CANARY));
    }
  }
}
