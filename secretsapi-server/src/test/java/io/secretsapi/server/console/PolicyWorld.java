package io.secretsapi.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.client.Response;
import io.secretsapi.client.SecretsApiClient;
import io.secretsapi.server.TestServer;
import java.util.List;
import java.util.Map;

/**
 * The source documents' world for the audit and policy screens: a secret with a canary value and a
 * {@code model-access} scope, the policy set {@code KEY-SCOPE-17} that lets {@code agent-runtime-*}
 * use it, and one token issued to {@code agent-runtime-04} through the API.
 */
record PolicyWorld(TestServer s, String secretId, String otherSecretId, String tokenId) {
  static final String CANARY = "sk-proj-CANARY-audit-7f3e9a0c41d2";
  static final String POLICY_V1 =
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

  static PolicyWorld make(TestServer s) {
    SecretsApiClient root = s.root();
    String id = secret(root, "openai-prod-key", CANARY);
    String other = secret(root, "anthropic-prod-key", "sk-ant-other-0123456789abcdef");
    Response scope =
        root.send(
            "POST",
            "/secrets/" + id + "/scope",
            "{\"name\":\"model-access\",\"operations\":[\"proxy\"],\"max_ttl\":\"15m\"}",
            "application/json");
    assertThat(scope.status()).as(scope.body()).isEqualTo(201);
    Response policy = root.send("PUT", "/policies/KEY-SCOPE-17", POLICY_V1, "application/yaml");
    assertThat(policy.status()).as(policy.body()).isEqualTo(200);
    String account =
        root.createServiceAccount("agent-runtime-04", "agent runtime").get("id").asString();
    String key =
        root.createApiKey(
                Map.of(
                    "service_account_id",
                    account,
                    "name",
                    "runtime",
                    "scopes",
                    List.of("tokens:issue")))
            .get("key")
            .asString();
    String token =
        root.withKey(key)
            .call(
                "POST",
                "/tokens/issue",
                Map.of(
                    "secret_id",
                    id,
                    "scope",
                    "model-access",
                    "ttl",
                    "15m",
                    "environment",
                    "production"))
            .get("token_id")
            .asString();
    root.call("POST", "/audit/checkpoints", null);
    return new PolicyWorld(s, id, other, token);
  }

  private static String secret(SecretsApiClient root, String name, String value) {
    return root.createSecret(
            Map.of(
                "name", name,
                "provider", "openai",
                "resource_class", "model-access",
                "environment", "production",
                "owner", "AI Platform",
                "value", value))
        .get("id")
        .asString();
  }
}
