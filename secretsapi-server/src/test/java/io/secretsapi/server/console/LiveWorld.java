package io.secretsapi.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.client.Response;
import io.secretsapi.client.SecretsApiClient;
import io.secretsapi.server.TestServer;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The source documents' world for the live and lineage screens, made through the API: a secret with
 * a {@code model-access} scope, the policy {@code KEY-SCOPE-17} letting {@code agent-runtime-*}
 * issue and derive, and the agent's key ({@code tokens:issue}).
 */
record LiveWorld(TestServer s, SecretsApiClient agent, String agentAccountId) {
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final String POLICY =
      """
      id: KEY-SCOPE-17
      rules:
        - id: agents-model-access
          effect: allow
          principals: ["agent-runtime-*"]
          resources:
            resource_classes: [model-access]
          operations: [issue, derive, resolve, proxy]
      """;

  static LiveWorld make(TestServer s) {
    SecretsApiClient root = s.root();
    Response policy = root.send("PUT", "/policies/KEY-SCOPE-17", POLICY, "application/yaml");
    assertThat(policy.status()).as(policy.body()).isEqualTo(200);
    JsonNode account = root.createServiceAccount("agent-runtime-04", "agent runtime");
    String key = key(s, account.get("id").asString(), "tokens:issue");
    return new LiveWorld(s, root.withKey(key), account.get("id").asString());
  }

  /** A new secret of {@code name} holding {@code value}, with its {@code model-access} scope. */
  String secret(String name, String value) {
    SecretsApiClient root = s.root();
    String id =
        root.createSecret(
                Map.of(
                    "name", name,
                    "provider", "openai",
                    "resource_class", "model-access",
                    "environment", "production",
                    "owner", "AI Platform",
                    "value", value))
            .get("id")
            .asString();
    Response scope =
        root.send(
            "POST",
            "/secrets/" + id + "/scope",
            JSON.writeValueAsString(
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

  /** Issues a token for {@code secretId} as the agent: the answer of {@code POST /tokens/issue}. */
  JsonNode issue(String secretId) {
    return agent.call(
        "POST",
        "/tokens/issue",
        Map.of(
            "secret_id",
            secretId,
            "scope",
            "model-access",
            "ttl",
            "15m",
            "requested_by",
            "agent-runtime-04",
            "environment",
            "production"));
  }

  /** Derives a child of {@code token} (the signed token): the answer of {@code /tokens/derive}. */
  JsonNode derive(String token, String ttl, List<String> operations) {
    return s.anonymous()
        .call(
            "POST", "/tokens/derive", Map.of("token", token, "ttl", ttl, "operations", operations));
  }

  /**
   * A second key of the agent's account (whose tokens it may read), holding exactly {@code scopes};
   * answers its secret.
   */
  String agentKeyWith(String... scopes) {
    return key(s, agentAccountId, scopes);
  }

  private static String key(TestServer s, String accountId, String... scopes) {
    return s.root()
        .createApiKey(
            Map.of("service_account_id", accountId, "name", "key", "scopes", List.of(scopes)))
        .get("key")
        .asString();
  }
}
