package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.client.Response;
import io.secretsapi.client.SecretsApiClient;
import io.secretsapi.testing.TestStore;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Bad input gets a 4xx problem document naming the field and the rule, and changes nothing. */
class BadInputTest {
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final String VALID =
      "{\"name\":\"n1\",\"provider\":\"openai\",\"resource_class\":\"model-access\",\"environment\":\"production\","
          + "\"value\":\"v-1234567890abcdef\"";

  record Case(
      String label,
      String method,
      String path,
      String body,
      String contentType,
      int status,
      String field,
      String rule) {
    @Override
    public String toString() {
      return label;
    }
  }

  static Stream<Arguments> cases() {
    String big = "x".repeat(70_000);
    List<Case> cases =
        List.of(
            new Case(
                "unknown field",
                "POST",
                "/secrets",
                VALID + ",\"colour\":\"red\"}",
                "application/json",
                400,
                "colour",
                "unknown_field"),
            new Case(
                "number for a string",
                "POST",
                "/secrets",
                VALID.replace("\"openai\"", "42") + "}",
                "application/json",
                400,
                "provider",
                "type"),
            new Case(
                "string for a list",
                "POST",
                "/secrets",
                VALID + ",\"tags\":\"llm\"}",
                "application/json",
                400,
                "tags",
                "type"),
            new Case(
                "object for a string",
                "POST",
                "/secrets",
                VALID.replace("\"n1\"", "{\"a\":1}") + "}",
                "application/json",
                400,
                "name",
                "type"),
            new Case(
                "malformed JSON",
                "POST",
                "/secrets",
                VALID,
                "application/json",
                400,
                "body",
                "json"),
            new Case(
                "trailing garbage",
                "POST",
                "/secrets",
                VALID + "} {}",
                "application/json",
                400,
                "body",
                "json"),
            new Case(
                "array body", "POST", "/secrets", "[1,2]", "application/json", 400, "body", "type"),
            new Case(
                "empty body", "POST", "/secrets", "", "application/json", 400, "body", "required"),
            new Case(
                "not JSON",
                "POST",
                "/secrets",
                "name=n1",
                "application/x-www-form-urlencoded",
                400,
                "Content-Type",
                "media_type"),
            new Case(
                "oversized body",
                "POST",
                "/secrets",
                VALID.replace("v-1234567890abcdef", big) + "}",
                "application/json",
                413,
                "body",
                "max_size"),
            new Case(
                "empty name",
                "POST",
                "/secrets",
                VALID.replace("\"n1\"", "\"\"") + "}",
                "application/json",
                400,
                "name",
                "required"),
            new Case(
                "dotdot name",
                "POST",
                "/secrets",
                VALID.replace("\"n1\"", "\"a..b\"") + "}",
                "application/json",
                400,
                "name",
                "name"),
            new Case(
                "missing value",
                "POST",
                "/secrets",
                VALID.replace(",\"value\":\"v-1234567890abcdef\"", "") + "}",
                "application/json",
                400,
                "value",
                "required"),
            new Case(
                "bad kind",
                "POST",
                "/secrets",
                VALID + ",\"kind\":\"magic\"}",
                "application/json",
                400,
                "kind",
                "enum"),
            new Case(
                "duplicate tag",
                "POST",
                "/secrets",
                VALID + ",\"tags\":[\"a\",\"a\"]}",
                "application/json",
                400,
                "tags[1]",
                "unique"),
            new Case(
                "duplicate name",
                "POST",
                "/secrets",
                VALID.replace("\"n1\"", "\"existing\"") + "}",
                "application/json",
                409,
                "name",
                "unique"),
            new Case(
                "unknown secret id",
                "GET",
                "/secrets/sec_doesnotexist",
                null,
                null,
                404,
                null,
                null),
            new Case(
                "malformed secret id",
                "PUT",
                "/secrets/..%2F..%2Fetc/value",
                "{\"value\":\"abc\"}",
                "application/json",
                404,
                null,
                null),
            new Case(
                "bad grace",
                "POST",
                "/secrets/{existing}/rotate",
                "{\"value\":\"v-0987654321\",\"grace\":\"soon\"}",
                "application/json",
                400,
                "grace",
                "duration"),
            new Case(
                "grace too long",
                "POST",
                "/secrets/{existing}/rotate",
                "{\"value\":\"v-0987654321\",\"grace\":\"90d\"}",
                "application/json",
                400,
                "grace",
                "range"),
            new Case("bad limit", "GET", "/secrets?limit=ten", null, null, 400, "limit", "integer"),
            new Case(
                "limit too big", "GET", "/secrets?limit=100000", null, null, 400, "limit", "range"),
            new Case("bad sort", "GET", "/secrets?sort=random", null, null, 400, "sort", "enum"),
            new Case(
                "unknown scope",
                "POST",
                "/api-keys",
                "{\"name\":\"k\",\"scopes\":[\"secrets:everything\"]}",
                "application/json",
                400,
                "scopes[0]",
                "enum"),
            new Case(
                "no scopes",
                "POST",
                "/api-keys",
                "{\"name\":\"k\",\"scopes\":[]}",
                "application/json",
                400,
                "scopes",
                "required"),
            new Case(
                "duplicate account",
                "POST",
                "/service-accounts",
                "{\"name\":\"root\"}",
                "application/json",
                409,
                "name",
                "unique"),
            new Case(
                "unknown api key",
                "POST",
                "/api-keys/sk_aaaaaaaaaaaaaaaa/revoke",
                null,
                null,
                404,
                null,
                null),
            new Case("unknown route", "GET", "/nothing-here", null, null, 404, null, null));
    return Stream.of(TestStore.values()).flatMap(s -> cases.stream().map(c -> Arguments.of(s, c)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void badRequest_answersProblemNamingFieldAndChangesNothing(TestStore store, Case c) {
    try (TestServer s = TestServer.start(store)) {
      SecretsApiClient root = s.root();
      String existing =
          root.createSecret(
                  Map.of(
                      "name",
                      "existing",
                      "provider",
                      "openai",
                      "resource_class",
                      "model-access",
                      "environment",
                      "production",
                      "value",
                      "existing-value-1234567890"))
              .get("id")
              .asString();
      String before = snapshot(root, existing);

      Response r =
          root.send(
              c.method(), c.path().replace("{existing}", existing), c.body(), c.contentType());

      assertThat(r.status()).isEqualTo(c.status());
      assertThat(r.contentType()).startsWith("application/problem+json");
      JsonNode p = JSON.readTree(r.body());
      assertThat(p.get("type").asString()).startsWith("https://secretsapi.io/problems/");
      assertThat(p.get("status").asInt()).isEqualTo(c.status());
      assertThat(p.get("title").asString()).isNotBlank();
      assertThat(p.get("detail").asString()).isNotBlank();
      assertThat(p.get("instance").asString()).startsWith("/");
      if (c.field() != null) {
        assertThat(p.get("field").asString()).isEqualTo(c.field());
        assertThat(p.get("rule").asString()).isEqualTo(c.rule());
      }
      assertThat(snapshot(root, existing)).isEqualTo(before);
    }
  }

  /** Everything a bad request could have changed: secrets, versions, accounts and keys. */
  private static String snapshot(SecretsApiClient root, String existing) {
    JsonNode secrets = root.listSecrets(Map.of("limit", "500"));
    JsonNode sealed = root.listSecrets(Map.of("status", "sealed"));
    JsonNode versions = root.secretVersions(existing);
    JsonNode accounts = root.listServiceAccounts();
    JsonNode keys = root.listApiKeys(java.util.Optional.empty());
    return secrets.get("items").toString()
        + sealed.get("total")
        + versions
        + accounts
        + keys.get("items")
            .valueStream()
            .map(k -> k.get("id").asString() + k.get("status").asString())
            .toList();
  }
}
