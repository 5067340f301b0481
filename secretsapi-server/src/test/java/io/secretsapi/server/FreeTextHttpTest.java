package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.client.Response;
import io.secretsapi.testing.TestStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Caller text that carries a stored value or an API key is neither kept nor repeated. */
class FreeTextHttpTest {
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final String STORED = "horse-battery-staple-7731";

  static String store(TestServer s) {
    return s.root()
        .createSecret(
            Map.of(
                "name", "plain",
                "provider", "custom",
                "resource_class", "model-access",
                "environment", "production",
                "value", STORED))
        .get("id")
        .asString();
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void revoke_reasonIsAStoredValue_refusedNamingTheReasonAndNothingIsRevoked(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      TokensHttpTest.World w = TokensHttpTest.World.make(s);
      store(s);
      String tokenId = w.issue().get("token_id").asString();

      Response r =
          s.root()
              .send(
                  "POST",
                  "/access/revoke",
                  JSON.writeValueAsString(Map.of("token_id", tokenId, "reason", STORED)),
                  "application/json");

      assertThat(r.status()).isEqualTo(400);
      JsonNode p = JSON.readTree(r.body());
      assertThat(p.get("field").asString()).isEqualTo("reason");
      assertThat(p.get("rule").asString()).isEqualTo("secret_value");
      assertThat(r.body()).doesNotContain(STORED);
      long revocations =
          s.server()
              .database()
              .read(h -> h.createQuery("SELECT COUNT(*) FROM revocations").mapTo(Long.class).one());
      assertThat(revocations).isZero();
      assertThat(s.auditRecords()).noneMatch(l -> l.contains(STORED));
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void requestId_isAnApiKeysSecretPartOrAStoredValue_isReplacedForAnAuthenticatedCaller(
      TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      store(s);
      String key =
          s.root()
              .createApiKey(Map.of("name", "k", "scopes", List.of("secrets:read")))
              .get("key")
              .asString();
      String secretPart = key.substring(key.length() - 43);
      for (String given : List.of(secretPart, STORED, "trace-0af7651916cd43dd")) {
        Response r = s.root().send("GET", "/secrets", null, null, Map.of("X-Request-Id", given));
        String echoed = r.headers().firstValue("X-Request-Id").orElseThrow();
        if (given.startsWith("trace-")) {
          assertThat(echoed).as("a plain request id is kept").isEqualTo(given);
        } else {
          assertThat(echoed).startsWith("req_");
        }
      }
      s.server().close();
      assertThat(CapturingAppender.lines())
          .noneMatch(l -> l.contains(secretPart) || l.contains(STORED));
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void problem_pathIdIsAnApiKeysSecretPart_isNotRepeated(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      String key =
          s.root()
              .createApiKey(Map.of("name", "k", "scopes", List.of("secrets:read")))
              .get("key")
              .asString();
      String secretPart = key.substring(key.length() - 43);
      for (String path :
          List.of("/api-keys/" + secretPart, "/no-route/" + secretPart, "/secrets/" + key)) {
        Response mine = s.root().send("GET", path, null, null);
        Response anonymous = s.anonymous().send("GET", path, null, null);
        for (Response r : List.of(mine, anonymous)) {
          assertThat(r.contentType()).startsWith("application/problem+json");
          assertThat(r.body()).doesNotContain(secretPart);
        }
      }
      assertThat(s.auditRecords()).noneMatch(l -> l.contains(secretPart));
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void unauthenticatedGuess_storedOrNot_getsTheSameAnswer(TestStore store) throws Exception {
    try (TestServer s = TestServer.start(store)) {
      store(s);
      String wrong = "horse-battery-staple-7732";
      for (String path :
          List.of("/health/live", "/x/%s", "/secrets/%s", "/proxy/api.openai.com/%s")) {
        String[] answers = new String[2];
        int i = 0;
        for (String guess : List.of(STORED, wrong)) {
          Response r =
              s.anonymous()
                  .send(
                      "GET",
                      path.formatted(guess),
                      null,
                      null,
                      Map.of("X-Request-Id", guess, "Authorization", "Bearer garbage"));
          assertThat(r.headers().firstValue("X-Request-Id")).as(path).contains(guess);
          answers[i++] = r.status() + " " + withoutRefs(r.body(), guess);
        }
        assertThat(answers[0]).as(path).isEqualTo(answers[1]);
      }
      String[] raw = new String[2];
      int i = 0;
      for (String guess : List.of(STORED, wrong)) {
        raw[i++] =
            withoutRefs(
                RawHttp.send(s.server().port(), "GET", "/secrets/" + guess + "/%00", null, null)
                    .body(),
                guess);
      }
      assertThat(raw[0]).isEqualTo(raw[1]);
    }
  }

  /** The body with its request id, audit reference and the guess itself taken out. */
  private static String withoutRefs(String body, String guess) {
    return body.replace(guess, "GUESS")
        .replaceAll("\"request_id\":\"[^\"]*\"", "")
        .replaceAll("\"audit_ref\":\"[^\"]*\"", "");
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void revoke_reasonHoldsAValueAfterPunctuationOrUnicodeSpace_refused(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      TokensHttpTest.World w = TokensHttpTest.World.make(s);
      store(s);
      String tokenId = w.issue().get("token_id").asString();
      for (String reason :
          List.of(
              "the key was " + STORED + ". rotate",
              "a." + STORED,
              "a\u2003" + STORED + "\u2003b",
              "x\u00a0" + STORED,
              "see `" + STORED + "`!")) {
        Response r =
            s.root()
                .send(
                    "POST",
                    "/access/revoke",
                    JSON.writeValueAsString(Map.of("token_id", tokenId, "reason", reason)),
                    "application/json");
        assertThat(r.status()).as(reason).isEqualTo(400);
        assertThat(r.body()).contains("secret_value").doesNotContain(STORED);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void putPolicy_yamlEscapeSpellsAStoredValue_refused(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      store(s);
      StringBuilder escaped = new StringBuilder();
      for (char c : STORED.toCharArray()) {
        escaped.append(String.format("\\x%02x", (int) c));
      }
      Response r =
          s.root()
              .send(
                  "PUT",
                  "/policies/P-YAML",
                  "id: P-YAML\ndescription: \""
                      + escaped
                      + "\"\nrules:\n  - id: r\n    effect: allow\n    principals: [root]\n"
                      + "    operations: [issue]\n",
                  "application/yaml");
      assertThat(r.status()).as(r.body()).isEqualTo(400);
      assertThat(r.body()).contains("secret_value");
    }
  }
}
