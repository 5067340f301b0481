package io.secretsapi.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.server.TestServer;
import io.secretsapi.testing.TestStore;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * The exposure screen and a secret's exposure replay over HTTP: ranking, explanation, replay and
 * its check against the signed checkpoint, the header band's figures, scopes, and the threshold
 * form.
 */
class ConsoleExposureHttpTest {

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void exposureScreens_burstPastThreshold_rankedExplainedReplayedAndVerified(TestStore store) {
    try (TestServer s = TestServer.start(store, ExposureWorld.CONFIG)) {
      ExposureWorld w = ExposureWorld.make(s).burst();
      s.root().call("POST", "/audit/checkpoints", null);
      ConsoleClient c = new ConsoleClient(s.server().baseUrl());
      c.logIn(s.rootKey());

      HttpResponse<String> ranked = c.get("/console/exposure");
      assertThat(ranked.statusCode()).isEqualTo(200);
      assertThat(ranked.body())
          .contains("id=\"x-" + w.secretId() + "\"", "openai-prod-key", "at or above threshold")
          .contains("0.25", "secret", "hx-trigger=\"every 5s\"")
          .containsPattern(
              "<dt>Rotation</dt><dd><span class=\"v\">Q[0-9]+</span> <span class=\"d\">depth"
                  + " [0-9]+</span>")
          .containsPattern(
              "<dt>Exposure</dt><dd><span class=\"v\">1</span> <span class=\"d\">drift"
                  + " \\+0\\.[0-9]{2}</span>");
      checked(ranked);

      HttpResponse<String> explained = c.get("/console/exposure?kind=secret&id=" + w.secretId());
      assertThat(explained.body())
          .contains("id=\"explain-factors\"")
          .contains("scope_breadth", "call_velocity", "distinct_callers", "refusals", "value_age")
          .contains("calls in ", "distinct callers in the window");
      checked(explained);

      HttpResponse<String> tokens = c.get("/console/exposure?kind=token");
      assertThat(tokens.body()).contains("Live tokens", "tok_", w.secretId());
      checked(tokens);

      JsonNode api = s.root().call("GET", "/secrets/" + w.secretId() + "/exposure", null);
      HttpResponse<String> replay = c.get("/console/exposure/" + w.secretId());
      assertThat(replay.statusCode()).isEqualTo(200);
      assertThat(replay.body())
          .contains("Exposure replay · openai-prod-key", "anomaly score exceeded threshold")
          .contains("exposure threshold set", "id=\"replay-verify\"")
          .containsPattern("EX-[0-9]+")
          .containsPattern("AU-[0-9]+");
      for (JsonNode e : api.get("replay")) {
        assertThat(replay.body()).contains(e.get("id").asString(), e.get("audit_ref").asString());
      }
      if (api.get("history").size() >= 2) {
        assertThat(replay.body()).contains("<svg class=\"spark\"", "<polyline");
      }
      checked(replay);

      HttpResponse<String> verify = c.get("/console/exposure/" + w.secretId() + "/verify");
      assertThat(verify.statusCode()).isEqualTo(200);
      assertThat(verify.body())
          .contains("class=\"ok\"")
          .contains("verified: " + api.get("replay").size() + " shown records included");
      checked(verify);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void keyWithoutSecretsRead_seesNoScreenNorFiguresAndIsRefused(TestStore store) {
    try (TestServer s = TestServer.start(store, ExposureWorld.CONFIG)) {
      ExposureWorld w = ExposureWorld.make(s).burst();
      ConsoleClient auditor = new ConsoleClient(s.server().baseUrl());
      auditor.logIn(ConsoleScopesHttpTest.keyWith(s, "audit:read"));
      String home = auditor.get("/console").body();
      assertThat(home)
          .doesNotContain("/console/exposure", "<dt>Exposure</dt>", "<dt>Rotation</dt>");
      assertThat(auditor.get("/console/exposure").statusCode()).isEqualTo(403);
      HttpResponse<String> replay = auditor.get("/console/exposure/" + w.secretId());
      assertThat(replay.statusCode()).isEqualTo(403);
      assertThat(replay.body()).contains("secrets:read").doesNotContain("EX-");

      ConsoleClient reader = new ConsoleClient(s.server().baseUrl());
      reader.logIn(ConsoleScopesHttpTest.keyWith(s, "secrets:read"));
      HttpResponse<String> own = reader.get("/console/exposure");
      assertThat(own.statusCode()).isEqualTo(200);
      // the secret is the root account's: another account's key ranks none of it
      assertThat(own.body()).doesNotContain(w.secretId(), "Set a threshold");
      assertThat(ConsoleScopesHttpTest.postForms(own.body())).containsOnly("/console/logout");
      assertThat(reader.get("/console/exposure/" + w.secretId()).statusCode()).isEqualTo(404);
      HttpResponse<String> forged =
          reader.postWithCsrf(
              "/console/exposure/thresholds",
              Map.of(
                  "target_kind", "resource_class", "target", "model-access", "threshold", "0.5"));
      assertThat(forged.statusCode()).isEqualTo(403);
      assertThat(forged.body()).contains("secrets:write");
      assertThat(thresholds(s)).hasSize(1);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void thresholdForm_acceptedThenRefusedNamingTheField_refusalChangesNothing(TestStore store) {
    try (TestServer s = TestServer.start(store, ExposureWorld.CONFIG)) {
      ExposureWorld w = ExposureWorld.make(s);
      ConsoleClient c = new ConsoleClient(s.server().baseUrl());
      c.logIn(s.rootKey());
      HttpResponse<String> set =
          c.postWithCsrf(
              "/console/exposure/thresholds",
              Map.of(
                  "target_kind",
                  "secret",
                  "target",
                  w.secretId(),
                  "threshold",
                  "0.7",
                  "action",
                  "incident"));
      assertThat(set.statusCode()).isEqualTo(303);
      String back = set.headers().firstValue("Location").orElseThrow();
      assertThat(c.get(back).body())
          .contains(
              "exposure threshold set · secret "
                  + w.secretId()
                  + " · threshold 0.70 · action incident");
      JsonNode stored = thresholds(s).get(0);
      assertThat(stored.get("threshold").asDouble()).isEqualTo(0.7);
      assertThat(stored.get("action").asString()).isEqualTo("incident");
      assertThat(s.auditRecords())
          .anySatisfy(
              r ->
                  assertThat(r)
                      .contains(
                          "\"type\":\"exposure.threshold_set\"",
                          "\"actor\":\"root\"",
                          "\"route\":\"POST /console/exposure/thresholds\""));

      refused(c, w, Map.of("threshold", "1.5"), "threshold");
      refused(c, w, Map.of("threshold", "high"), "threshold");
      refused(c, w, Map.of("threshold", ""), "threshold");
      refused(c, w, Map.of("target_kind", "account"), "target_kind");
      refused(c, w, Map.of("action", "page-someone"), "action");
      refused(c, w, Map.of("target", ExposureWorld.CANARY), "target");
      assertThat(thresholds(s)).hasSize(1);
      assertThat(thresholds(s).get(0).get("threshold").asDouble()).isEqualTo(0.7);

      HttpResponse<String> noCsrf =
          c.post(
              "/console/exposure/thresholds",
              Map.of("target_kind", "secret", "target", w.secretId(), "threshold", "0.2"));
      assertThat(noCsrf.statusCode()).isEqualTo(403);
      assertThat(thresholds(s).get(0).get("threshold").asDouble()).isEqualTo(0.7);
    }
  }

  /** Posts the form with {@code change} over good fields: refused (400) naming {@code field}. */
  private static void refused(
      ConsoleClient c, ExposureWorld w, Map<String, String> change, String field) {
    Map<String, String> form =
        new java.util.HashMap<>(
            Map.of(
                "target_kind",
                "secret",
                "target",
                w.secretId(),
                "threshold",
                "0.4",
                "action",
                "rotate"));
    form.putAll(change);
    HttpResponse<String> r = c.postWithCsrf("/console/exposure/thresholds", form);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(r.body()).contains("field: " + field).doesNotContain("value=\"0.4\"");
    checked(r);
  }

  private static JsonNode thresholds(TestServer s) {
    return s.root().call("GET", "/exposure/thresholds", null).get("items");
  }

  /** What every console answer must be: the headers, no inline script or style, no secret value. */
  private static void checked(HttpResponse<String> r) {
    ConsoleAssertions.hasSecurityHeaders(r);
    ConsoleAssertions.hasNoInlineScriptOrStyle(r.body());
    ConsoleAssertions.showsNone(r, ExposureWorld.CANARY);
  }
}
