package io.secretsapi.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.server.TestServer;
import io.secretsapi.testing.TestStore;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The rotation queue over HTTP: "Rotate now" queues through the rotation engine, the server's
 * leader loop moves the rotation, and its page shows each step as the audit trail records it.
 */
class ConsoleRotationsHttpTest {

  /** A {@code generated} secret: the rotation engine makes its values without settings. */
  static String generated(TestServer s, String name) {
    return s.root()
        .createSecret(
            Map.of(
                "name", name,
                "provider", "openai",
                "resource_class", "model-access",
                "environment", "production",
                "kind", "generated"))
        .get("id")
        .asString();
  }

  /** Reads the rotation's page until the leader loop has moved it to {@code state}. */
  static String awaitState(ConsoleClient c, String path, String state) throws InterruptedException {
    long end = System.nanoTime() + 15_000_000_000L;
    String body = c.get(path).body();
    while (!body.contains("data-state=\"" + state + "\"") && System.nanoTime() < end) {
      Thread.sleep(100);
      body = c.get(path).body();
    }
    assertThat(body).contains("id=\"rotation\" data-state=\"" + state + "\"");
    return body;
  }

  private static int rotations(TestServer s) {
    return s.root().call("GET", "/rotations", null).get("items").size();
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void rotateNow_generatedSecret_queuedThenMovedByTheLeaderWithEachStepRecorded(TestStore store)
      throws Exception {
    try (TestServer s = TestServer.start(store)) {
      String id = generated(s, "openai-prod-key");
      ConsoleClient c = new ConsoleClient(s.server().baseUrl());
      c.logIn(s.rootKey());

      HttpResponse<String> posted =
          c.postWithCsrf("/console/rotations", Map.of("secret_id", id, "reason", "quarterly"));

      assertThat(posted.statusCode()).as(posted.body()).isEqualTo(303);
      String location = posted.headers().firstValue("Location").orElseThrow();
      assertThat(location).matches("/console/rotations/ROT-[A-Za-z0-9]+\\?queued=1");
      String rot = location.substring("/console/rotations/".length(), location.indexOf('?'));
      HttpResponse<String> first = c.get(location);
      assertThat(first.statusCode()).isEqualTo(200);
      ConsoleAssertions.hasSecurityHeaders(first);
      ConsoleAssertions.hasNoInlineScriptOrStyle(first.body());
      assertThat(first.body()).contains("queued " + rot + " for " + id, "quarterly", "operator");

      String done = awaitState(c, "/console/rotations/" + rot, "previous");
      assertThat(done)
          .contains("v1 → v2", "generated", "Grace", "until")
          .contains(
              "data-step=\"queued\"",
              "data-step=\"pending\"",
              "data-step=\"validated\"",
              "data-step=\"promoted\"",
              "data-step=\"previous\"")
          .containsPattern("<a href=\"/console/audit\\?from=\\d+&amp;to=\\d+\">AU-\\d+</a>");
      String previous = c.get("/console/rotations?state=previous&secret_id=" + id).body();
      assertThat(previous).contains("id=\"rot-" + rot + "\"", "showing 1 · 0 in flight");
      assertThat(c.get("/console/rotations?state=failed").body()).doesNotContain(rot);

      // a second press while none is in flight queues a new one
      HttpResponse<String> again =
          c.postWithCsrf("/console/rotations", Map.of("secret_id", id, "reason", "again"));
      assertThat(again.headers().firstValue("Location").orElseThrow()).doesNotContain(rot);
      assertThat(rotations(s)).isEqualTo(2);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void rotateNow_badInput_refusedNamingFieldAndNothingQueued(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      String generated = generated(s, "generated-key");
      String fixed =
          s.root()
              .createSecret(
                  Map.of(
                      "name", "static-key",
                      "provider", "openai",
                      "resource_class", "model-access",
                      "environment", "production",
                      "value", "sk-static-rotation-0123456789"))
              .get("id")
              .asString();
      ConsoleClient c = new ConsoleClient(s.server().baseUrl());
      c.logIn(s.rootKey());

      HttpResponse<String> noReason =
          c.postWithCsrf("/console/rotations", Map.of("secret_id", generated));
      HttpResponse<String> noSecret =
          c.postWithCsrf("/console/rotations", Map.of("reason", "quarterly"));
      HttpResponse<String> unknown =
          c.postWithCsrf(
              "/console/rotations", Map.of("secret_id", "sec_nosuchsecret", "reason", "x"));
      HttpResponse<String> noSettings =
          c.postWithCsrf("/console/rotations", Map.of("secret_id", fixed, "reason", "x"));
      HttpResponse<String> badState = c.get("/console/rotations?state=rotating");
      assertThat(List.of(noReason, noSecret, unknown, noSettings, badState))
          .allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(400));
      assertThat(noReason.body()).contains("field: reason");
      assertThat(noSecret.body()).contains("field: secret_id");
      assertThat(unknown.body()).contains("field: secret_id", "does not exist");
      assertThat(noSettings.body()).contains("field: rotator", "PUT /secrets/{id}/rotation");
      assertThat(badState.body()).contains("field: state").doesNotContain("value=\"rotating\"");
      assertThat(rotations(s)).isZero();
      HttpResponse<String> none = c.get("/console/rotations/ROT-nosuchrotation");
      assertThat(none.statusCode()).isEqualTo(404);
      assertThat(none.body()).contains("<h1>Rotation queue</h1>");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void scopes_readOnlyKey_seesQueueWithoutFormAndForgedPostsChangeNothing(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      String id = generated(s, "openai-read-only");
      ConsoleClient reader = new ConsoleClient(s.server().baseUrl());
      reader.logIn(ConsoleScopesHttpTest.keyWith(s, "secrets:read"));
      String page = reader.get("/console/rotations").body();
      assertThat(page).contains("<h1>Rotation queue</h1>").doesNotContain("Rotate now");
      assertThat(ConsoleScopesHttpTest.postForms(page)).containsOnly("/console/logout");
      HttpResponse<String> forged =
          reader.postWithCsrf("/console/rotations", Map.of("secret_id", id, "reason", "x"));
      assertThat(forged.statusCode()).isEqualTo(403);
      assertThat(forged.body()).contains("secrets:write");

      ConsoleClient auditor = new ConsoleClient(s.server().baseUrl());
      auditor.logIn(ConsoleScopesHttpTest.keyWith(s, "audit:read"));
      assertThat(auditor.get("/console").body()).doesNotContain("/console/rotations");
      assertThat(auditor.get("/console/rotations").statusCode()).isEqualTo(403);

      ConsoleClient root = new ConsoleClient(s.server().baseUrl());
      root.logIn(s.rootKey());
      HttpResponse<String> noCsrf =
          root.post("/console/rotations", Map.of("secret_id", id, "reason", "x"));
      assertThat(noCsrf.statusCode()).isEqualTo(403);
      assertThat(rotations(s)).isZero();
      assertThat(ConsoleScopesHttpTest.postForms(root.get("/console/rotations").body()))
          .contains("/console/rotations");
    }
  }
}
