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
 * The world of the approvals screen's tests: a secret with a canary value and a {@code
 * model-access} scope, the policy set {@code AGENTS} whose {@code approve} rule holds every issue
 * of {@code agent-*} for the account {@code approver-console}, the agent's client ({@code
 * tokens:issue}), and the approver's key ({@code policies:write}, {@code audit:read}).
 */
record ApprovalWorld(
    TestServer s,
    String secretId,
    String agentAccount,
    SecretsApiClient agent,
    String approverAccount,
    String approverKey) {
  static final String CANARY = "sk-proj-CANARY-approval-4b8d1f0a92c7";
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final String POLICY =
      """
      id: AGENTS
      rules:
        - id: agents-model-access
          effect: allow
          principals: ["agent-*"]
          resources:
            resource_classes: [model-access]
          operations: [issue]
        - id: agents-need-a-person
          effect: approve
          principals: ["agent-*"]
          resources:
            resource_classes: [model-access]
          operations: [issue]
          approvers: [approver-console]
          approval_ttl: 15m
      """;

  static ApprovalWorld make(TestServer s) {
    SecretsApiClient root = s.root();
    String id =
        root.createSecret(
                Map.of(
                    "name", "openai-prod-key",
                    "provider", "openai",
                    "resource_class", "model-access",
                    "environment", "production",
                    "value", CANARY))
            .get("id")
            .asString();
    Response scope =
        root.send(
            "POST",
            "/secrets/" + id + "/scope",
            "{\"name\":\"model-access\",\"operations\":[\"proxy\"],\"max_ttl\":\"15m\"}",
            "application/json");
    assertThat(scope.status()).as(scope.body()).isEqualTo(201);
    Response policy = root.send("PUT", "/policies/AGENTS", POLICY, "application/yaml");
    assertThat(policy.status()).as(policy.body()).isEqualTo(200);
    String agentAccount = account(s, "agent-console");
    String approverAccount = account(s, "approver-console");
    return new ApprovalWorld(
        s,
        id,
        agentAccount,
        root.withKey(key(s, agentAccount, "tokens:issue")),
        approverAccount,
        key(s, approverAccount, "policies:write", "audit:read"));
  }

  static String account(TestServer s, String name) {
    return s.root().createServiceAccount(name, "approvals console").get("id").asString();
  }

  /** A new key of {@code account} holding exactly {@code scopes}. */
  static String key(TestServer s, String account, String... scopes) {
    return s.root()
        .createApiKey(Map.of("service_account_id", account, "name", "k", "scopes", List.of(scopes)))
        .get("key")
        .asString();
  }

  String ask() {
    return "{\"secret_id\":\""
        + secretId
        + "\",\"scope\":\"model-access\",\"ttl\":\"5m\",\"environment\":\"production\"";
  }

  /** The agent asks for a token; the rule holds it back: the approval's id. */
  String request() {
    Response held = agent.send("POST", "/tokens/issue", ask() + "}", "application/json");
    assertThat(held.status()).as(held.body()).isEqualTo(202);
    return JSON.readTree(held.body()).get("approval_id").asString();
  }

  /** The agent asks again with the approval's id. */
  Response askAgain(String approvalId) {
    return agent.send(
        "POST",
        "/tokens/issue",
        ask() + ",\"approval_id\":\"" + approvalId + "\"}",
        "application/json");
  }

  String state(String approvalId) {
    return s.root().call("GET", "/approvals/" + approvalId, null).get("state").asString();
  }

  static JsonNode body(Response r) {
    return JSON.readTree(r.body());
  }
}
