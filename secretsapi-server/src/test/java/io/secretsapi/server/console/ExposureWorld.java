package io.secretsapi.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.client.Response;
import io.secretsapi.client.SecretsApiClient;
import io.secretsapi.server.TestServer;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The source documents' world for the exposure screens, made through the API: {@code
 * openai-prod-key} holding a canary value, with a {@code model-access} scope, the policy set {@code
 * KEY-SCOPE-17} letting {@code agent-runtime-*} use it, and the agent's key ({@code tokens:issue}).
 * {@link #burst} makes the calls that give the secret a score past its threshold of 0.25.
 */
record ExposureWorld(TestServer s, String secretId, SecretsApiClient agent) {
  static final String CANARY = "sk-proj-CANARY-exposure-5b81e2d07c93";
  static final Map<String, String> CONFIG = Map.of("exposure.window", "30s");

  static ExposureWorld make(TestServer s) {
    SecretsApiClient root = s.root();
    String id =
        root.createSecret(
                Map.of(
                    "name", "openai-prod-key",
                    "provider", "openai",
                    "resource_class", "model-access",
                    "environment", "production",
                    "owner", "AI Platform",
                    "value", CANARY))
            .get("id")
            .asString();
    Response scope =
        root.send(
            "POST",
            "/secrets/" + id + "/scope",
            "{\"name\":\"model-access\",\"operations\":[\"proxy\",\"reveal\"],\"max_ttl\":\"15m\"}",
            "application/json");
    assertThat(scope.status()).as(scope.body()).isEqualTo(201);
    Response policy =
        root.send("PUT", "/policies/KEY-SCOPE-17", PolicyWorld.POLICY_V1, "application/yaml");
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
    return new ExposureWorld(s, id, root.withKey(key));
  }

  /**
   * Another secret of the agent's, {@code name}, called {@code calls} times: a calmer row of the
   * ranking. Answers its id.
   */
  String another(String name, int calls) {
    SecretsApiClient root = s.root();
    String id =
        root.createSecret(
                Map.of(
                    "name", name,
                    "provider", "anthropic",
                    "resource_class", "model-access",
                    "environment", "production",
                    "owner", "Creative Systems",
                    "value", "sk-ant-calm-0123456789abcdef"))
            .get("id")
            .asString();
    Response scope =
        root.send(
            "POST",
            "/secrets/" + id + "/scope",
            "{\"name\":\"model-access\",\"operations\":[\"proxy\"],\"max_ttl\":\"5m\"}",
            "application/json");
    assertThat(scope.status()).as(scope.body()).isEqualTo(201);
    for (int i = 0; i < calls; i++) {
      issue(id, "5m");
    }
    return id;
  }

  private JsonNode issue(String secret, String ttl) {
    return agent.call(
        "POST",
        "/tokens/issue",
        Map.of(
            "secret_id", secret, "scope", "model-access", "ttl", ttl, "environment", "production"));
  }

  /**
   * Sets the secret's threshold to 0.25 (through the API), issues 62 tokens in the 30 s window
   * (past the velocity factor's full mark) and a few resolutions, scoring along the way as the
   * node's job would: the secret ranks with a score past its threshold, one crossing and its {@code
   * EX-} event.
   */
  ExposureWorld burst() {
    s.root()
        .call(
            "PUT",
            "/exposure/thresholds",
            Map.of("target_kind", "secret", "target", secretId, "threshold", 0.25));
    for (int i = 0; i < 62; i++) {
      String token = issue(secretId, "15m").get("token").asString();
      if (i < 3) {
        s.anonymous().call("POST", "/tokens/resolve", Map.of("token", token));
      }
      if (i % 20 == 19) {
        s.evaluateExposure(); // as the node's job does while the calls come: the score rises
      }
    }
    s.evaluateExposure();
    return this;
  }
}
