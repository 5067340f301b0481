package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.client.SecretsApiClient;
import io.secretsapi.testing.TestStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * The list filters a person's names resolve through ({@code ?name=}, and {@code ?url=} for
 * webhooks), and {@code GET /policies}: ids stay canonical, a filter only narrows a list.
 */
class NameFiltersHttpTest {
  private static List<String> ids(JsonNode answer) {
    return answer.get("items").valueStream().map(i -> i.get("id").asString()).toList();
  }

  private static Map<String, Object> secret(String name, String environment) {
    return Map.of(
        "name",
        name,
        "provider",
        "openai",
        "resource_class",
        "model-access",
        "environment",
        environment,
        "value",
        "sk-proj-names-0123456789abcdef");
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void listSecrets_nameFilter_answersOnlyThatNameInEveryEnvironment(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      SecretsApiClient c = s.root();
      String prod = c.createSecret(secret("openai-prod-key", "production")).get("id").asString();
      String staging = c.createSecret(secret("openai-prod-key", "staging")).get("id").asString();
      c.createSecret(secret("openai-prod-key-2", "production"));

      JsonNode both = c.listSecrets(Map.of("name", "openai-prod-key"));
      JsonNode none = c.listSecrets(Map.of("name", "no-such-key"));

      assertThat(ids(both)).containsExactlyInAnyOrder(prod, staging);
      assertThat(both.get("total").asLong()).isEqualTo(2);
      assertThat(ids(none)).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void listAccountsAndKeys_nameFilter_answersOnlyThatName(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      SecretsApiClient c = s.root();
      String account = c.createServiceAccount("agent-runtime-04", "").get("id").asString();
      c.createServiceAccount("agent-runtime-05", "");
      String runtime =
          c.createApiKey(
                  Map.of(
                      "service_account_id",
                      account,
                      "name",
                      "runtime",
                      "scopes",
                      List.of("secrets:read")))
              .get("id")
              .asString();
      c.createApiKey(
          Map.of("service_account_id", account, "name", "ci", "scopes", List.of("secrets:read")));

      JsonNode accounts = c.call("GET", "/service-accounts?name=agent-runtime-04", null);
      JsonNode keys = c.call("GET", "/api-keys?name=runtime", null);
      JsonNode keysOfAccount =
          c.call("GET", "/api-keys?name=runtime&service_account_id=" + account, null);
      JsonNode noKeys = c.call("GET", "/api-keys?name=nobody", null);

      assertThat(ids(accounts)).containsExactly(account);
      assertThat(ids(keys)).containsExactly(runtime);
      assertThat(ids(keysOfAccount)).containsExactly(runtime);
      assertThat(ids(noKeys)).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void listAccounts_nameOfAnotherAccountWithoutKeysAdmin_answersNothing(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      s.root().createServiceAccount("agent-runtime-04", "");
      SecretsApiClient other = s.accountWith("secrets:read");

      JsonNode seen = other.call("GET", "/service-accounts?name=agent-runtime-04", null);

      assertThat(ids(seen)).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void listWebhooks_urlFilter_answersOnlyThatUrl(TestStore store) {
    try (TestServer s = TestServer.start(store, Map.of("webhooks.allow_internal", "true"))) {
      SecretsApiClient c = s.root();
      String hook =
          c.call(
                  "POST",
                  "/webhooks",
                  Map.of("url", "http://127.0.0.1:9/hooks/grants", "events", List.of("grant")))
              .get("id")
              .asString();
      c.call(
          "POST",
          "/webhooks",
          Map.of("url", "http://127.0.0.1:9/hooks/other", "events", List.of("grant")));

      JsonNode one =
          c.call("GET", "/webhooks?url=http%3A%2F%2F127.0.0.1%3A9%2Fhooks%2Fgrants", null);

      assertThat(ids(one)).containsExactly(hook);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void listPolicies_twoSets_answersEachAtItsCurrentVersion(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      SecretsApiClient c = s.root();
      String rule =
          "rules:\n  - id: r\n    effect: allow\n    principals: [root]\n    operations: [issue]\n";
      assertThat(c.call("GET", "/policies", null).get("items").isEmpty()).isTrue();
      c.send("PUT", "/policies/KEY-SCOPE-17", rule, "application/yaml");
      c.send(
          "PUT",
          "/policies/KEY-SCOPE-17",
          rule.replace("[root]", "[root, ops]"),
          "application/yaml");
      c.send("PUT", "/policies/AGENTS", rule, "application/yaml");

      JsonNode items = c.call("GET", "/policies", null).get("items");

      assertThat(ids(c.call("GET", "/policies", null))).containsExactly("AGENTS", "KEY-SCOPE-17");
      JsonNode keyScope = items.get(1);
      assertThat(keyScope.get("version").asInt()).isEqualTo(2);
      assertThat(keyScope.get("created_by").asString()).isEqualTo("root");
      assertThat(keyScope.get("document").asString()).contains("[root, ops]");
      assertThat(keyScope.propertyNames())
          .containsExactlyElementsOf(c.call("GET", "/policies/KEY-SCOPE-17", null).propertyNames());
    }
  }
}
