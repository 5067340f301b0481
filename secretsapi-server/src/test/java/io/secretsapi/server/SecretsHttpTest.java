package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsapi.client.ApiException;
import io.secretsapi.client.Response;
import io.secretsapi.client.SecretsApiClient;
import io.secretsapi.testing.TestStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

class SecretsHttpTest {
  static Map<String, Object> openai(String name, String value) {
    return Map.of(
        "name",
        name,
        "provider",
        "openai",
        "resource_class",
        "model-access",
        "environment",
        "production",
        "owner",
        "AI Platform",
        "tags",
        List.of("llm", "prod"),
        "value",
        value);
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void createListRotate_withRootKey_answersMaskedViewsOnly(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      SecretsApiClient c = s.root();
      JsonNode created =
          c.createSecret(openai("openai-prod-key", "cf_live_0123456789abcdef_alpha"));
      String id = created.get("id").asString();
      assertThat(id).startsWith("sec_");
      assertThat(created.get("masked").asString()).isEqualTo("cf_l...lpha");
      assertThat(created.get("resource_class").asString()).isEqualTo("model-access");
      assertThat(created.has("value")).isFalse();
      assertThat(created.toString()).doesNotContain("0123456789abcdef");

      JsonNode list = c.listSecrets(Map.of("resource_class", "model-access"));
      assertThat(list.get("total").asLong()).isEqualTo(1);
      assertThat(list.get("showing").asString()).isEqualTo("showing 1 of 1");
      assertThat(list.toString()).doesNotContain("0123456789abcdef");

      JsonNode rotated =
          c.rotateSecret(id, Optional.of("cf_live_fedcba9876543210_omega"), Optional.of("30m"));
      assertThat(rotated.get("status").asString()).isEqualTo("rotated");
      assertThat(rotated.get("version").asInt()).isEqualTo(2);
      assertThat(rotated.get("previous_version").asInt()).isEqualTo(1);
      assertThat(rotated.get("secret").get("masked").asString()).isEqualTo("cf_l...mega");
      JsonNode versions = c.secretVersions(id).get("versions");
      assertThat(versions.get(0).get("state").asString()).isEqualTo("current");
      assertThat(versions.get(1).get("state").asString()).isEqualTo("previous");
      assertThat(versions.get(1).get("grace_until").isString()).isTrue();

      JsonNode put = c.putSecretValue(id, "cf_live_putvalue_000000_delta");
      assertThat(put.get("current_version").asInt()).isEqualTo(3);
      JsonNode deleted = c.deleteSecret(id);
      assertThat(deleted.get("status").asString()).isEqualTo("sealed");
      assertThat(
              c.secretVersions(id)
                  .get("versions")
                  .valueStream()
                  .map(v -> v.get("state").asString()))
          .containsOnly("sealed");
      assertThatThrownBy(() -> c.rotateSecret(id, Optional.of("x-1234567890"), Optional.empty()))
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(409));
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void list_pagesSortAndFilters_sayShowingNofM(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      SecretsApiClient c = s.root();
      for (int i = 0; i < 12; i++) {
        c.createSecret(openai("key-" + i, "value-number-" + i + "-abcdefghij"));
      }
      c.createSecret(
          Map.of(
              "name",
              "stripe-prod-key",
              "provider",
              "stripe",
              "resource_class",
              "charges",
              "environment",
              "production",
              "owner",
              "Payments",
              "value",
              "sk_live_abcdefghijklmnop"));
      JsonNode page = c.listSecrets(Map.of("limit", "8", "sort", "name"));
      assertThat(page.get("showing").asString()).isEqualTo("showing 8 of 13");
      assertThat(page.get("items").get(0).get("name").asString()).isEqualTo("key-0");
      JsonNode stripe = c.listSecrets(Map.of("provider", "stripe"));
      assertThat(stripe.get("total").asLong()).isEqualTo(1);
      assertThat(stripe.get("items").get(0).get("masked").asString()).isEqualTo("sk_l...mnop");
      JsonNode last = c.listSecrets(Map.of("limit", "8", "offset", "8", "sort", "name"));
      assertThat(last.get("showing").asString()).isEqualTo("showing 5 of 13");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void rotate_generatedSecret_needsNoValue(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      SecretsApiClient c = s.root();
      JsonNode created =
          c.createSecret(
              Map.of(
                  "name",
                  "webhook-signing",
                  "provider",
                  "internal",
                  "resource_class",
                  "signing",
                  "environment",
                  "staging",
                  "kind",
                  "generated"));
      String id = created.get("id").asString();
      JsonNode r = c.rotateSecret(id, Optional.empty(), Optional.of("0s"));
      assertThat(r.get("version").asInt()).isEqualTo(2);
      assertThat(r.get("grace_until").isNull()).isTrue();
      assertThat(r.get("secret").get("fingerprint").asString())
          .isNotEqualTo(created.get("fingerprint").asString());
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void responses_carryRequestIdAndNoStore(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      Response r =
          s.root().send("GET", "/secrets", null, null, Map.of("X-Request-Id", "trace-abc-123"));
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.headers().firstValue("X-Request-Id")).contains("trace-abc-123");
      assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
      assertThat(CapturingAppender.lines())
          .anyMatch(
              l ->
                  l.contains("\"request_id\":\"trace-abc-123\"")
                      && l.contains("\"route\":\"/secrets\"")
                      && l.contains("\"status\":200"));
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void health_readyAndLive_answer(TestStore store) throws InterruptedException {
    try (TestServer s = TestServer.start(store)) {
      JsonNode ready = s.anonymous().call("GET", "/health/ready", null);
      assertThat(ready.get("status").asString()).isEqualTo("ready");
      assertThat(ready.get("store_dialect").asString()).isEqualTo(store.name().toLowerCase());
      for (int i = 0; i < 100 && !ready.get("leader").asBoolean(); i++) {
        Thread.sleep(100); // on PostgreSQL, once the node's session has taken the lock
        ready = s.anonymous().call("GET", "/health/ready", null);
      }
      assertThat(ready.get("leader").asBoolean()).as("the only node leads").isTrue();
      assertThat(s.anonymous().call("GET", "/health/live", null).get("status").asString())
          .isEqualTo("live");
      s.root().listSecrets(Map.of());
      String metrics = s.anonymous().send("GET", "/metrics", null, null).body();
      assertThat(metrics)
          .contains("secretsapi_http_requests_seconds_bucket")
          .contains("route=\"/secrets\"");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void rotateKek_overHttp_keepsEverySecretReadable(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      SecretsApiClient c = s.root();
      String id = c.createSecret(openai("kek-test", "value-kek-1234567890")).get("id").asString();
      JsonNode r = c.rotateKek();
      assertThat(r.get("status").asString()).isEqualTo("rotated");
      assertThat(r.get("rewrapped").asLong()).isEqualTo(5);
      c.rotateSecret(id, Optional.of("value-kek-after-rotation"), Optional.empty());
      assertThat(c.secretVersions(id).get("versions").size()).isEqualTo(2);
    }
  }

  /** The node left with the old KEK leaves the load balancer's pool; the one that rotated stays. */
  @Test
  void healthReady_afterAnotherNodeRotatedTheKek_isNotReadyNamingTheMissingKey() throws Exception {
    try (TestServer s = TestServer.start(TestStore.POSTGRES);
        TestServer other = s.otherNodeWithCopyOfKeyFile()) {
      assertThat(other.anonymous().send("GET", "/health/ready", null, null).status())
          .isEqualTo(200);

      long kek = s.root().call("POST", "/admin/kek/rotate", Map.of()).get("kek_key_id").asLong();

      Response ready = other.anonymous().send("GET", "/health/ready", null, null);
      for (int i = 0; i < 150 && ready.status() == 200; i++) {
        Thread.sleep(100); // the announcement, or at worst the 10 s check
        ready = other.anonymous().send("GET", "/health/ready", null, null);
      }
      assertThat(ready.status()).isEqualTo(503);
      JsonNode body = WebhooksHttpTest.JSON.readTree(ready.body());
      assertThat(body.get("kek").asString()).isEqualTo("stale");
      assertThat(body.get("kek_key_id_missing").asLong()).isEqualTo(kek);
      assertThat(s.anonymous().send("GET", "/health/ready", null, null).status()).isEqualTo(200);
    }
  }

  /** A revocation this version cannot enforce takes the node out of the pool, not out of sync. */
  @ParameterizedTest
  @EnumSource(TestStore.class)
  void healthReady_revocationOfAnUnknownKind_isNotReadyNamingIt(TestStore store) throws Exception {
    try (TestServer s = TestServer.start(store)) {
      s.server()
          .database()
          .inTransaction(
              h ->
                  h.createUpdate(
                          "INSERT INTO revocations (kind, target, cascade, revoked_at, actor,"
                              + " reason) VALUES ('session', 'ses_1', 0, 0, 'newer-node', 'test')")
                      .execute());

      Response ready = s.anonymous().send("GET", "/health/ready", null, null);
      for (int i = 0; i < 100 && ready.status() == 200; i++) {
        Thread.sleep(100); // the next second's catch-up reads it
        ready = s.anonymous().send("GET", "/health/ready", null, null);
      }
      assertThat(ready.status()).isEqualTo(503);
      assertThat(WebhooksHttpTest.JSON.readTree(ready.body()).get("revocations").asString())
          .contains("session");
    }
  }
}
