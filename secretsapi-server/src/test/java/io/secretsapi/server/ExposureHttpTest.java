package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.client.Response;
import io.secretsapi.testing.TestStore;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/** GET /exposure, GET /secrets/{id}/exposure, the thresholds, and the EX- event on the stream. */
class ExposureHttpTest {

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void exposure_burstPastThreshold_rankedExplainedAndReplayedOnce(TestStore store) {
    try (TestServer s = TestServer.start(store, Map.of("exposure.window", "30s"))) {
      TokensHttpTest.World w = TokensHttpTest.World.make(s);
      JsonNode set =
          s.root()
              .call(
                  "PUT",
                  "/exposure/thresholds",
                  Map.of("target_kind", "secret", "target", w.secretId(), "threshold", 0.25));
      assertThat(set.get("action").asString()).isEqualTo("rotate");
      for (int i = 0; i < 62; i++) {
        JsonNode t = w.issue(); // 62 calls in a 30 s window: past the velocity's full mark
        if (i < 3) {
          s.anonymous().call("POST", "/tokens/resolve", Map.of("token", t.get("token").asString()));
        }
      }
      var exposure = s.server().core().exposure();
      exposure.evaluate();
      exposure.evaluate();

      JsonNode ranked = s.root().call("GET", "/exposure", null);
      assertThat(ranked.get("enabled").asBoolean()).isTrue();
      JsonNode top = ranked.get("items").get(0);
      assertThat(top.get("id").asString()).isEqualTo(w.secretId());
      assertThat(top.get("score").asDouble()).isGreaterThanOrEqualTo(0.25);
      double sum = 0;
      for (JsonNode f : top.get("factors")) {
        sum += f.get("contribution").asDouble();
      }
      assertThat(top.get("score").asDouble()).isBetween(sum - 0.005, sum + 0.005);
      JsonNode tokens = s.root().call("GET", "/exposure?kind=token&limit=3", null);
      assertThat(tokens.get("items")).hasSize(3);

      JsonNode one = s.root().call("GET", "/secrets/" + w.secretId() + "/exposure", null);
      JsonNode replay = one.get("replay");
      int crossings = 0;
      for (JsonNode e : replay) {
        if (e.get("type").asString().equals("exposure.threshold")) {
          crossings++;
          assertThat(e.get("id").asString()).startsWith("EX-");
          assertThat(e.get("title").asString()).isEqualTo("anomaly score exceeded threshold");
          assertThat(e.get("detail").asString()).startsWith("score ").contains("Δ +", "window ");
        }
      }
      assertThat(crossings).isEqualTo(1);
      assertThat(ranked.toString() + tokens + one).doesNotContain("CANARY");
      assertThat(one.get("history").size()).isPositive();

      Response events =
          s.root()
              .send(
                  "GET",
                  "/access/events?type=exposure.threshold&secret_id=" + w.secretId(),
                  null,
                  null,
                  Map.of("Accept", "application/json"));
      assertThat(events.status()).isEqualTo(200);
      assertThat(events.body()).contains("anomaly score exceeded threshold");
    }
  }

  @Test
  void putThreshold_outOfRange_problemNamingTheFieldAndNothingSet() {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      Response r =
          s.root()
              .send(
                  "PUT",
                  "/exposure/thresholds",
                  "{\"target_kind\":\"resource_class\",\"target\":\"model-access\",\"threshold\":2}",
                  "application/json");
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.body()).contains("\"field\":\"threshold\"");
      Response unknown = s.root().send("GET", "/secrets/sec_nope/exposure", null, null);
      assertThat(unknown.status()).isEqualTo(404);
      assertThat(s.root().call("GET", "/exposure/thresholds", null).get("items")).isEmpty();
    }
  }
}
