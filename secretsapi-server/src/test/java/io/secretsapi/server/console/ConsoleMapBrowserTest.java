package io.secretsapi.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import io.secretsapi.client.Response;
import io.secretsapi.client.SecretsApiClient;
import io.secretsapi.server.TestServer;
import io.secretsapi.testing.TestStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

/** The architecture map in Debian's Chromium: its counts move, without a reload, after an issue. */
class ConsoleMapBrowserTest {
  @RegisterExtension static final ConsoleBrowser BROWSER = new ConsoleBrowser();
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

  static String figure(Page p, String slug) {
    return p.locator("[data-fig=" + slug + "] .v").innerText().trim();
  }

  /** A secret, its scope, the policy and an agent's key, as the source documents have them. */
  static SecretsApiClient agent(TestServer s, String secretId) {
    SecretsApiClient root = s.root();
    Response scope =
        root.send(
            "POST",
            "/secrets/" + secretId + "/scope",
            JSON.writeValueAsString(
                Map.of(
                    "name",
                    "model-access",
                    "operations",
                    List.of("proxy"),
                    "upstream",
                    Map.of("hosts", List.of("api.openai.com")),
                    "max_ttl",
                    "15m")),
            "application/json");
    assertThat(scope.status()).as(scope.body()).isEqualTo(201);
    Response policy = root.send("PUT", "/policies/KEY-SCOPE-17", POLICY, "application/yaml");
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
    return root.withKey(key);
  }

  static Response issue(SecretsApiClient agent, String secretId, String scope) {
    return agent.send(
        "POST",
        "/tokens/issue",
        JSON.writeValueAsString(
            Map.of(
                "secret_id", secretId, "scope", scope, "ttl", "15m", "environment", "production")),
        "application/json");
  }

  @Test
  void map_tokenIssuedThroughApi_countsMoveWithoutReload() {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      String id =
          s.root()
              .createSecret(
                  Map.of(
                      "name", "openai-prod-key",
                      "provider", "openai",
                      "resource_class", "model-access",
                      "environment", "production",
                      "value", ConsoleCanaryHttpTest.CANARY))
              .get("id")
              .asString();
      SecretsApiClient agent = agent(s, id);
      try (ConsoleBrowser.Tab t = BROWSER.logIn(s.server().baseUrl(), s.rootKey())) {
        Page p = t.page();
        t.go("/console/map");
        assertThat(p.locator(".zone h2").allInnerTexts())
            .containsExactly("Callers", "Broker", "Enforcement", "Vault");
        assertThat(figure(p, "active-tokens")).isEqualTo("0");
        assertThat(figure(p, "grants")).isEqualTo("0");
        assertThat(figure(p, "refusals")).isEqualTo("0");
        assertThat(figure(p, "secrets")).isEqualTo("1");
        assertThat(figure(p, "sealed")).isEqualTo("0");
        assertThat(figure(p, "policies")).isEqualTo("1");
        String url = p.url();

        Response issued = issue(agent, id, "model-access");
        assertThat(issued.status()).as(issued.body()).isEqualTo(200);
        // root is no agent-runtime-*: the policy gate refuses it, and the refusal is counted
        Response refused = issue(s.root(), id, "model-access");
        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        p.waitForCondition(
            () -> figure(p, "active-tokens").equals("1"),
            new Page.WaitForConditionOptions().setTimeout(15_000));
        p.waitForCondition(
            () -> figure(p, "refusals").equals("1"),
            new Page.WaitForConditionOptions().setTimeout(15_000));
        assertThat(figure(p, "grants")).isEqualTo("1");
        assertThat(p.locator("[data-fig=grants] .d").innerText()).contains("in the last");
        assertThat(p.url()).isEqualTo(url);
        assertThat(p.content()).doesNotContain(ConsoleCanaryHttpTest.CANARY);
        t.check("map");
      }
    }
  }
}
