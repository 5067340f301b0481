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

/** The vault screen in Debian's Chromium: log in, read, create from the form, and axe on each. */
class ConsoleVaultBrowserTest {
  @RegisterExtension static final ConsoleBrowser BROWSER = new ConsoleBrowser();

  static Map<String, Object> secret(String name, String owner, List<String> tags, String value) {
    return Map.of(
        "name", name,
        "provider", "openai",
        "resource_class", "model-access",
        "environment", "production",
        "owner", owner,
        "tags", tags,
        "value", value);
  }

  @Test
  void logIn_rootKey_showsOverviewAndVault() {
    try (TestServer s = TestServer.start(TestStore.SQLITE);
        ConsoleBrowser.Tab t = BROWSER.open(s.server().baseUrl())) {
      t.go("/console/login");
      t.check("login");
      t.close();
    }
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      s.root()
          .createSecret(
              secret("openai-prod-key", "AI Platform", List.of("llm"), "sk-canary-AAAA-1111-ZZZZ"));
      s.root()
          .createSecret(
              secret(
                  "stripe-prod-key", "Payments", List.of("billing"), "sk-canary-BBBB-2222-YYYY"));
      try (ConsoleBrowser.Tab t = BROWSER.logIn(s.server().baseUrl(), s.rootKey())) {
        assertThat(t.page().locator("#band").textContent()).contains("Operational", "Secrets");
        t.check("overview");
        t.go("/console/secrets");
        assertThat(t.page().locator("#vault-table tbody tr").count()).isEqualTo(2);
        assertThat(t.page().locator("#showing").innerText()).isEqualTo("showing 2 of 2");
        assertThat(t.page().content()).contains("reveal disabled").doesNotContain("sk-canary");
        t.check("vault");
      }
    }
  }

  @Test
  void createForm_filledIn_secretAppearsInTable() {
    try (TestServer s = TestServer.start(TestStore.SQLITE);
        ConsoleBrowser.Tab t = BROWSER.logIn(s.server().baseUrl(), s.rootKey())) {
      t.go("/console/secrets");
      Page p = t.page();
      p.getByLabel("name", new Page.GetByLabelOptions().setExact(true))
          .fill("shopify-product-feed");
      p.getByLabel("provider").fill("shopify");
      p.getByLabel("scope (resource class)").fill("catalog");
      p.getByLabel("environment").fill("production");
      p.getByLabel("owner").fill("Commerce");
      p.getByLabel("tags (comma separated)").fill("feed, prod");
      p.getByLabel("value", new Page.GetByLabelOptions().setExact(true))
          .fill("shpat_canary_0123456789abcdef");
      p.getByText("Store, sealed").click();
      p.waitForURL(url -> url.contains("created=sec_"));
      Locator row =
          p.locator("#vault-table tbody tr")
              .filter(new Locator.FilterOptions().setHasText("shopify-product-feed"));
      assertThat(row.count()).isEqualTo(1);
      assertThat(row.innerText()).contains("catalog", "Commerce", "never", "reveal disabled");
      assertThat(p.locator(".notice").innerText()).startsWith("created sec_");
      assertThat(p.content()).doesNotContain("0123456789abcdef");
      t.check("vault-created");
    }
  }

  @Test
  void vault_markupInNameOwnerAndTag_isShownAsText() {
    String evil = "<img src=x onerror=alert(1)>";
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      s.root()
          .createSecret(
              Map.of(
                  "name", "evil-name",
                  "provider", "openai",
                  "resource_class", "model-access",
                  "environment", "production",
                  "owner", evil,
                  "tags", List.of("t1"),
                  "value", "sk-canary-CCCC-3333-XXXX"));
      try (ConsoleBrowser.Tab t = BROWSER.logIn(s.server().baseUrl(), s.rootKey())) {
        t.go("/console/secrets");
        assertThat(t.page().locator("#vault-table img").count()).isZero();
        assertThat(t.page().locator("#vault-table").innerText()).contains(evil);
        Page p = t.page();
        p.getByLabel("name", new Page.GetByLabelOptions().setExact(true)).fill(evil);
        p.getByLabel("provider").fill("openai");
        p.getByLabel("scope (resource class)").fill("model-access");
        p.getByLabel("environment").fill("production");
        p.getByLabel("tags (comma separated)").fill(evil);
        p.getByLabel("value", new Page.GetByLabelOptions().setExact(true)).fill("sk-x-0123456789");
        p.getByText("Store, sealed").click();
        p.waitForLoadState();
        assertThat(p.locator(".refusal").innerText()).contains("Refused (400)", "field: name");
        assertThat(p.locator("img").count()).isZero();
        assertThat(t.problems()).as("no script ran, nothing failed to load").isEmpty();
      }
    }
  }
}
