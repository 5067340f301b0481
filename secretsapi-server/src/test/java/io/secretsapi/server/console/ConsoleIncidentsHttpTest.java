package io.secretsapi.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.client.Response;
import io.secretsapi.server.TestServer;
import io.secretsapi.testing.TestStore;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/** The incidents screen over HTTP: the playbook through the form, refusals, scopes and CSRF. */
class ConsoleIncidentsHttpTest {
  private static final Pattern INCIDENT = Pattern.compile("Incident (IN-[0-9A-Z]{4}-[0-9A-Z]{4})");
  private static final Pattern TOKEN = Pattern.compile("<code class=\"token\">([^<]+)</code>");

  /**
   * A {@code generated} secret of the documents' world (the broker can replace its value, so its
   * principals get replacement grants), with its {@code model-access} scope on api.openai.com.
   */
  static String generatedSecret(LiveWorld w, String name) {
    String id =
        w.s()
            .root()
            .createSecret(
                Map.of(
                    "name", name,
                    "provider", "openai",
                    "resource_class", "model-access",
                    "environment", "production",
                    "owner", "AI Platform",
                    "kind", "generated"))
            .get("id")
            .asString();
    Response scope =
        w.s()
            .root()
            .send(
                "POST",
                "/secrets/" + id + "/scope",
                LiveWorld.JSON.writeValueAsString(
                    Map.of(
                        "name",
                        "model-access",
                        "operations",
                        List.of("proxy", "reveal", "derive"),
                        "upstream",
                        Map.of("hosts", List.of("api.openai.com")),
                        "max_ttl",
                        "15m")),
                "application/json");
    assertThat(scope.status()).as(scope.body()).isEqualTo(201);
    return id;
  }

  /** The incident id the answer names in its heading. */
  static String incidentOf(HttpResponse<String> r) {
    Matcher m = INCIDENT.matcher(r.body());
    assertThat(m.find()).as(r.body()).isTrue();
    return m.group(1);
  }

  /** The replacement tokens an answer shows. */
  static List<String> tokensOf(String html) {
    Matcher m = TOKEN.matcher(html);
    List<String> out = new ArrayList<>();
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static int incidents(TestServer s) {
    return s.root().call("GET", "/incidents", null).get("items").size();
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void openForm_secretWithLiveGrants_answersTimelineAffectedAndReplacementsOnce(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      LiveWorld w = LiveWorld.make(s);
      String secret = generatedSecret(w, "openai-prod-key");
      String parent = w.issue(secret).get("token").asString();
      w.derive(parent, "5m", List.of("proxy"));
      ConsoleClient c = new ConsoleClient(s.server().baseUrl());
      c.logIn(s.rootKey());

      HttpResponse<String> opened =
          c.postWithCsrf(
              "/console/incidents", Map.of("secret_id", secret, "reason", "key in a public log"));

      assertThat(opened.statusCode()).as(opened.body()).isEqualTo(201);
      ConsoleAssertions.hasSecurityHeaders(opened);
      ConsoleAssertions.hasNoInlineScriptOrStyle(opened.body());
      String id = incidentOf(opened);
      assertThat(opened.body())
          .contains("opened " + id + " on " + secret, "containment active", "Compromised")
          .contains("credential revoked", "services re-authenticated", "t+0.")
          .contains("api.openai.com", "agent-runtime-04", "revoked 1 / pending 0")
          .contains("shown once");
      List<String> tokens = tokensOf(opened.body());
      assertThat(tokens).isNotEmpty();
      assertThat(Pattern.compile("data-step=\"0[1-7]\"").matcher(opened.body()).results().count())
          .isEqualTo(7);

      HttpResponse<String> page = c.get("/console/incidents/" + id);
      assertThat(page.statusCode()).isEqualTo(200);
      ConsoleAssertions.showsNone(page, tokens.toArray(String[]::new));
      assertThat(page.body())
          .contains("containment ", "<progress id=\"containment\"", "7 hops · ")
          .contains("data-name=\"api.openai.com\"", "st-blocked", "st-pending")
          .containsPattern("<a href=\"/console/audit\\?from=\\d+&amp;to=\\d+\">AU-\\d+</a>");
      assertThat(page.body()).doesNotContain("class=\"reveal\"");
      HttpResponse<String> list = c.get("/console/incidents?state=open");
      assertThat(list.body()).contains(id, secret, "key in a public log", "showing 1 · 1 open");
      assertThat(c.get("/console/incidents?state=closed").body()).doesNotContain(id);
      assertThat(s.root().call("GET", "/incidents/" + id, null).get("state").asString())
          .isEqualTo("open");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void forms_badInput_refusedNamingFieldAndNothingChanges(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      LiveWorld w = LiveWorld.make(s);
      String secret = w.secret("openai-static", "sk-static-incident-0123456789");
      w.issue(secret);
      ConsoleClient c = new ConsoleClient(s.server().baseUrl());
      c.logIn(s.rootKey());

      HttpResponse<String> unknown =
          c.postWithCsrf(
              "/console/incidents", Map.of("secret_id", "sec_nosuchsecret", "reason", "leak"));
      HttpResponse<String> neither = c.postWithCsrf("/console/incidents", Map.of("reason", "x"));
      HttpResponse<String> both =
          c.postWithCsrf(
              "/console/incidents",
              Map.of("secret_id", secret, "token_id", "tok_x", "reason", "leak"));
      HttpResponse<String> noReason =
          c.postWithCsrf("/console/incidents", Map.of("secret_id", secret));
      assertThat(List.of(unknown, neither, both, noReason))
          .allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(400));
      assertThat(unknown.body()).contains("field: secret_id", "does not exist");
      assertThat(neither.body()).contains("field: secret_id");
      assertThat(both.body()).contains("field: token_id");
      assertThat(noReason.body()).contains("field: reason");
      assertThat(incidents(s)).isZero();

      HttpResponse<String> first =
          c.postWithCsrf("/console/incidents", Map.of("secret_id", secret, "reason", "leak"));
      assertThat(first.statusCode()).isEqualTo(201);
      String id = incidentOf(first);
      assertThat(tokensOf(first.body())).as("a static secret gets no replacement").isEmpty();
      HttpResponse<String> second =
          c.postWithCsrf("/console/incidents", Map.of("secret_id", secret, "reason", "again"));
      assertThat(second.statusCode()).isEqualTo(409);
      assertThat(second.body()).contains("field: secret_id", "already contained by incident " + id);
      assertThat(incidents(s)).isEqualTo(1);

      HttpResponse<String> noNote = c.postWithCsrf("/console/incidents/" + id + "/close", Map.of());
      assertThat(noNote.statusCode()).isEqualTo(400);
      assertThat(noNote.body()).contains("field: note", "Incident " + id);
      HttpResponse<String> closed =
          c.postWithCsrf("/console/incidents/" + id + "/close", Map.of("note", "owner rotated it"));
      assertThat(closed.statusCode()).isEqualTo(303);
      assertThat(closed.headers().firstValue("Location"))
          .hasValue("/console/incidents/" + id + "?closed=1");
      String after = c.get("/console/incidents/" + id + "?closed=1").body();
      assertThat(after).contains("closed " + id, "owner rotated it", "st-restored");
      assertThat(ConsoleScopesHttpTest.postForms(after)).containsOnly("/console/logout");
      HttpResponse<String> twice =
          c.postWithCsrf("/console/incidents/" + id + "/close", Map.of("note", "again"));
      assertThat(twice.statusCode()).isEqualTo(400);
      assertThat(twice.body()).contains("field: id", "already closed");
      JsonNode in = s.root().call("GET", "/incidents/" + id, null);
      assertThat(in.get("close_note").asString()).isEqualTo("owner rotated it");
      HttpResponse<String> none = c.get("/console/incidents/IN-NONE-NONE");
      assertThat(none.statusCode()).isEqualTo(404);
      assertThat(none.body()).contains("<h1>Incidents</h1>");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void scopes_keyWithoutContainmentScopes_seesNoFormAndForgedPostsChangeNothing(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      LiveWorld w = LiveWorld.make(s);
      String secret = w.secret("openai-scoped", "sk-scoped-incident-0123456789");
      ConsoleClient reader = new ConsoleClient(s.server().baseUrl());
      reader.logIn(ConsoleScopesHttpTest.keyWith(s, "audit:read"));
      String list = reader.get("/console/incidents").body();
      assertThat(list).contains("href=\"/console/incidents\"", "<h1>Incidents</h1>");
      assertThat(ConsoleScopesHttpTest.postForms(list)).containsOnly("/console/logout");
      HttpResponse<String> forged =
          reader.postWithCsrf("/console/incidents", Map.of("secret_id", secret, "reason", "x"));
      assertThat(forged.statusCode()).isEqualTo(403);
      assertThat(forged.body()).contains("tokens:revoke");

      // tokens:revoke without policies:write: still no form, and the service refuses the post
      ConsoleClient half = new ConsoleClient(s.server().baseUrl());
      half.logIn(ConsoleScopesHttpTest.keyWith(s, "audit:read", "tokens:revoke", "secrets:read"));
      assertThat(ConsoleScopesHttpTest.postForms(half.get("/console/incidents").body()))
          .containsOnly("/console/logout");
      HttpResponse<String> halfPost =
          half.postWithCsrf("/console/incidents", Map.of("secret_id", secret, "reason", "x"));
      assertThat(halfPost.statusCode()).isIn(400, 403);
      assertThat(incidents(s)).isZero();

      ConsoleClient vaultOnly = new ConsoleClient(s.server().baseUrl());
      vaultOnly.logIn(ConsoleScopesHttpTest.keyWith(s, "secrets:read"));
      assertThat(vaultOnly.get("/console").body()).doesNotContain("/console/incidents");
      assertThat(vaultOnly.get("/console/incidents").statusCode()).isEqualTo(403);

      ConsoleClient root = new ConsoleClient(s.server().baseUrl());
      root.logIn(s.rootKey());
      assertThat(ConsoleScopesHttpTest.postForms(root.get("/console/incidents").body()))
          .contains("/console/incidents");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void forms_withoutOrWithAnotherSessionsCsrf_refused403AndNothingChanges(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      LiveWorld w = LiveWorld.make(s);
      String secret = w.secret("openai-csrf", "sk-csrf-incident-0123456789");
      ConsoleClient mine = new ConsoleClient(s.server().baseUrl());
      mine.logIn(s.rootKey());
      ConsoleClient other = new ConsoleClient(s.server().baseUrl());
      other.logIn(s.rootKey());
      HttpResponse<String> none =
          mine.post("/console/incidents", Map.of("secret_id", secret, "reason", "x"));
      HttpResponse<String> foreign =
          mine.post(
              "/console/incidents",
              Map.of("secret_id", secret, "reason", "x", "_csrf", other.csrf()));
      assertThat(none.statusCode()).isEqualTo(403);
      assertThat(foreign.statusCode()).isEqualTo(403);
      assertThat(foreign.body()).contains("CSRF");
      assertThat(incidents(s)).isZero();

      String id =
          incidentOf(
              mine.postWithCsrf("/console/incidents", Map.of("secret_id", secret, "reason", "x")));
      HttpResponse<String> close =
          mine.post(
              "/console/incidents/" + id + "/close", Map.of("note", "n", "_csrf", other.csrf()));
      assertThat(close.statusCode()).isEqualTo(403);
      assertThat(s.root().call("GET", "/incidents/" + id, null).get("state").asString())
          .isEqualTo("open");
    }
  }
}
