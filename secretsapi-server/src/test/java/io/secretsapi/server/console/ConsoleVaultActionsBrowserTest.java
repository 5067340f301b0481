package io.secretsapi.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import io.secretsapi.server.TestServer;
import io.secretsapi.testing.TestStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** The vault's row actions and filters in Chromium: rotate, define a scope, seal, filter. */
class ConsoleVaultActionsBrowserTest {
  @RegisterExtension static final ConsoleBrowser BROWSER = new ConsoleBrowser();

  private static String create(TestServer s, String name, String resourceClass, String env) {
    return s.root()
        .createSecret(
            Map.of(
                "name",
                name,
                "provider",
                "openai",
                "resource_class",
                resourceClass,
                "environment",
                env,
                "owner",
                "AI Platform",
                "tags",
                List.of("llm"),
                "value",
                "sk-" + name + "-0123456789abcdef"))
        .get("id")
        .asString();
  }

  private static Locator row(Page p, String id) {
    return p.locator("#row-" + id);
  }

  @Test
  void rowActions_rotateScopeSeal_takeEffectThroughTheVault() {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      String id = create(s, "openai-prod-key", "model-access", "production");
      try (ConsoleBrowser.Tab t = BROWSER.logIn(s.server().baseUrl(), s.rootKey())) {
        Page p = t.page();
        t.go("/console/secrets");
        row(p, id).locator("summary").click();
        row(p, id).getByLabel("new value").fill("sk-rotated-value-fedcba9876543210");
        row(p, id).getByLabel("grace").fill("30m");
        row(p, id).getByText("Rotate").click();
        p.waitForURL(u -> u.contains("rotated=" + id));
        assertThat(row(p, id).innerText()).contains("v2", "sk-r...3210");
        t.check("vault-actions");

        row(p, id).locator("summary").click();
        row(p, id).getByLabel("scope name").fill("model-access");
        row(p, id).getByLabel("hosts").fill("api.openai.com");
        row(p, id).getByLabel("max ttl").fill("15m");
        row(p, id).getByText("Define scope").click();
        p.waitForURL(u -> u.contains("scoped=" + id));
        String listed = s.root().send("GET", "/secrets/" + id + "/scopes", null, null).body();
        JsonNode scopes =
            tools.jackson.databind.json.JsonMapper.shared().readTree(listed).get("items");
        assertThat(scopes.get(0).get("name").asString()).isEqualTo("model-access");
        assertThat(scopes.get(0).get("max_ttl").asString()).isEqualTo("15m");

        row(p, id).locator("summary").click();
        row(p, id).getByText("Seal every version").click();
        p.waitForURL(u -> u.contains("sealed=" + id));
        assertThat(row(p, id).count()).isZero();
        assertThat(s.root().getSecret(id).get("status").asString()).isEqualTo("sealed");
        assertThat(p.content()).doesNotContain("fedcba9876543210");
      }
    }
  }

  @Test
  void filters_scopeAndEnv_swapTheTableWithoutReload() {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      create(s, "openai-prod-key", "model-access", "production");
      create(s, "shopify-feed", "catalog", "production");
      create(s, "openai-dev-key", "model-access", "development");
      try (ConsoleBrowser.Tab t = BROWSER.logIn(s.server().baseUrl(), s.rootKey())) {
        Page p = t.page();
        t.go("/console/secrets");
        assertThat(p.locator("#showing").innerText()).isEqualTo("showing 3 of 3");
        p.evaluate("window.__notReloaded = true");
        p.getByLabel("scope", new Page.GetByLabelOptions().setExact(true)).fill("model-access");
        p.getByLabel("env", new Page.GetByLabelOptions().setExact(true)).fill("production");
        p.getByText("Filter").click();
        p.waitForURL(u -> u.contains("scope=model-access") && u.contains("env=production"));
        p.waitForCondition(() -> p.locator("#showing").innerText().equals("showing 1 of 1"));
        assertThat(p.locator("#vault-table tbody tr").innerText()).contains("openai-prod-key");
        assertThat(p.evaluate("window.__notReloaded === true")).isEqualTo(true);
        t.check("vault-filtered");
      }
    }
  }

  @Test
  void htmxPost_csrfHeaderFromMetaTag_acceptedAndPlainFetchRefused() {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      String kept = create(s, "kept-key", "model-access", "production");
      String sealed = create(s, "sealed-key", "model-access", "production");
      try (ConsoleBrowser.Tab t = BROWSER.logIn(s.server().baseUrl(), s.rootKey())) {
        Page p = t.page();
        t.go("/console/secrets");
        Object plain =
            p.evaluate(
                "async id => (await fetch('/console/secrets/' + id + '/seal',"
                    + " {method: 'POST'})).status",
                kept);
        assertThat(plain).isEqualTo(403);
        p.evaluate(
            "id => htmx.ajax('POST', '/console/secrets/' + id + '/seal',"
                + " {target: '#vault-table', select: '#vault-table', swap: 'outerHTML'})",
            sealed);
        p.waitForCondition(() -> p.locator("#showing").innerText().equals("showing 1 of 1"));
        assertThat(s.root().getSecret(sealed).get("status").asString()).isEqualTo("sealed");
        assertThat(s.root().getSecret(kept).get("status").asString()).isEqualTo("active");
      }
    }
  }
}
