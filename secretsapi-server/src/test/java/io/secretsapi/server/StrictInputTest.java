package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.client.Response;
import io.secretsapi.client.SecretsApiClient;
import io.secretsapi.testing.TestStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 17, defect 10: input the broker used to read leniently (a duration with spaces or control
 * characters around it, a fraction or an overflowing number for an integer, a field given twice) is
 * refused over the real HTTP API, naming the field and the rule, and nothing is stored.
 */
class StrictInputTest {
  static final JsonMapper JSON = JsonMapper.builder().build();

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void issue_ttlWithWhitespaceOrControlCharacter_refusedNamingTtlAndIssuesNothing(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      TokensHttpTest.World w = TokensHttpTest.World.make(s);
      for (String ttl : List.of(" 5m", "5m\u0000", "5m\n", "\t5m", "5m ", "+5m", "５m")) {
        Response r =
            w.agent()
                .send(
                    "POST",
                    "/tokens/issue",
                    JSON.writeValueAsString(
                        Map.of(
                            "secret_id",
                            w.secretId(),
                            "scope",
                            "model-access",
                            "ttl",
                            ttl,
                            "environment",
                            "production")),
                    "application/json");

        assertProblem(r, "ttl", "duration");
      }
      assertThat(s.root().call("GET", "/tokens", null).get("items")).isEmpty();
      assertThat(w.issueRaw().status()).as("a clean ttl still works").isEqualTo(200);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void defineScope_fractionalMaxUses_refusedNamingMaxUsesAndStoresNothing(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      TokensHttpTest.World w = TokensHttpTest.World.make(s);
      String before = scopes(s.root(), w.secretId());
      for (String uses : List.of("1.5", "1.0", "1e3", "-0.5")) {
        Response r = defineScope(s.root(), w.secretId(), "\"max_uses\":" + uses);

        assertProblem(r, "max_uses", "type");
      }
      assertThat(scopes(s.root(), w.secretId())).isEqualTo(before);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void defineScope_overflowingMaxUses_refusedNamingMaxUsesNotBody(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      TokensHttpTest.World w = TokensHttpTest.World.make(s);
      String before = scopes(s.root(), w.secretId());

      assertProblem(defineScope(s.root(), w.secretId(), "\"max_uses\":1e309"), "max_uses", "type");
      assertProblem(
          defineScope(s.root(), w.secretId(), "\"max_uses\":9223372036854775808"),
          "max_uses",
          "range");
      assertProblem(
          defineScope(s.root(), w.secretId(), "\"max_uses\":" + "9".repeat(400)),
          "max_uses",
          "range");
      assertThat(scopes(s.root(), w.secretId())).isEqualTo(before);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void createSecret_duplicateField_refusedNamingTheFieldAndStoresNothing(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      SecretsApiClient root = s.root();
      String body =
          "{\"name\":\"first\",\"provider\":\"openai\",\"resource_class\":\"model-access\","
              + "\"environment\":\"production\",\"value\":\"v-1234567890abcdef\",\"name\":\"second\"}";

      Response r = root.send("POST", "/secrets", body, "application/json");

      assertProblem(r, "name", "duplicate_field");
      assertThat(root.listSecrets(Map.of("limit", "500")).get("items")).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void defineScope_duplicateNestedOrLimitField_refusedNamingItsPath(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      TokensHttpTest.World w = TokensHttpTest.World.make(s);
      String before = scopes(s.root(), w.secretId());

      assertProblem(
          defineScope(s.root(), w.secretId(), "\"max_uses\":100,\"max_uses\":1"),
          "max_uses",
          "duplicate_field");
      Response nested =
          s.root()
              .send(
                  "POST",
                  "/secrets/" + w.secretId() + "/scope",
                  "{\"name\":\"narrow\",\"operations\":[\"reveal\"],\"upstream\":{\"hosts\":"
                      + "[\"a.example\"],\"hosts\":[\"b.example\"]}}",
                  "application/json");
      assertProblem(nested, "upstream.hosts", "duplicate_field");
      assertThat(scopes(s.root(), w.secretId())).isEqualTo(before);
    }
  }

  private static Response defineScope(SecretsApiClient root, String secretId, String extra) {
    return root.send(
        "POST",
        "/secrets/" + secretId + "/scope",
        "{\"name\":\"narrow\",\"operations\":[\"reveal\"]," + extra + "}",
        "application/json");
  }

  private static String scopes(SecretsApiClient root, String secretId) {
    return root.call("GET", "/secrets/" + secretId + "/scopes", null).toString();
  }

  private static void assertProblem(Response r, String field, String rule) {
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.contentType()).startsWith("application/problem+json");
    JsonNode p = JSON.readTree(r.body());
    assertThat(p.get("field").asString()).as(r.body()).isEqualTo(field);
    assertThat(p.get("rule").asString()).as(r.body()).isEqualTo(rule);
  }
}
