package io.secretsapi.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.SelectOption;
import io.secretsapi.testing.TestStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * API Services in Debian's Chromium: the pool with its postures, a package bound to an engine
 * through the form and seen in the engine service bindings, then the engine's credential vault with
 * a credential selected.
 */
class ConsolePackagesBrowserTest {
  @RegisterExtension static final ConsoleBrowser BROWSER = new ConsoleBrowser();

  static final Page.GetByLabelOptions EXACT = new Page.GetByLabelOptions().setExact(true);

  @Test
  void bind_packageToEngine_thenSelectCredentialInItsVault() throws Exception {
    try (PoolWorld w = PoolWorld.start(TestStore.SQLITE);
        ConsoleBrowser.Tab t = BROWSER.logIn(w.base(), w.writer)) {
      var issued =
          w.ops()
              .send(
                  "POST",
                  "/tokens/issue",
                  "{\"secret_id\":\""
                      + w.dns
                      + "\",\"scope\":\"dns-edit\",\"ttl\":\"15m\",\"environment\":\"production\"}",
                  "application/json");
      assertThat(issued.status()).as(issued.body()).isEqualTo(200);
      Page p = t.page();
      t.go("/console/packages");
      assertThat(p.locator("#fig-leases .v").innerText()).isEqualTo("1");
      assertThat(p.locator("#fig-packages .v").innerText()).isEqualTo("2");
      assertThat(p.locator("#pkg-" + w.review + " .status").innerText()).isEqualTo("Review");
      assertThat(p.locator("#pkg-" + w.ready + " .pkg-name").innerText())
          .isEqualTo(PoolWorld.READY_NAME);

      p.getByLabel("Engine", EXACT).selectOption(new SelectOption().setLabel("POD Engine Alpha"));
      p.getByLabel("Package", EXACT)
          .selectOption(new SelectOption().setLabel(PoolWorld.REVIEW_NAME));
      p.getByText("Bind", new Page.GetByTextOptions().setExact(true)).click();
      p.waitForURL(url -> url.contains("bound="));
      assertThat(p.locator(".notice").innerText())
          .startsWith("bound " + PoolWorld.REVIEW_NAME + " to POD Engine Alpha · policy engine-");
      p.getByLabel("Engine", EXACT).selectOption(new SelectOption().setLabel("POD Engine Alpha"));
      p.getByLabel("Package", EXACT)
          .selectOption(new SelectOption().setLabel(PoolWorld.READY_NAME));
      p.getByText("Bind", new Page.GetByTextOptions().setExact(true)).click();
      p.waitForURL(url -> url.contains("package=" + w.ready));
      var line = p.locator("#eng-" + w.engine);
      assertThat(line.locator(".eng-bindings").innerText())
          .contains(PoolWorld.REVIEW_NAME, PoolWorld.READY_NAME);
      assertThat(line.locator(".eng-placement").innerText())
          .isEqualTo("prod-node-01 / 3 of 6 used · Live frontend / Governed admin");
      assertThat(p.locator("#pkg-" + w.ready + " .pkg-engines").innerText())
          .isEqualTo("POD Engine Alpha");
      assertThat(p.content()).doesNotContain("CANARY");
      t.check("packages");

      line.getByText("Credential vault").click();
      p.waitForURL(url -> url.contains("/console/engines/" + w.engine));
      p.locator("#engine-vault tr[data-secret='" + w.billing + "'] a").click();
      p.waitForURL(url -> url.contains("secret=" + w.billing));
      assertThat(p.locator("#sel-name").innerText()).isEqualTo("openai-billing-key");
      assertThat(p.locator("#sel-status").innerText()).isEqualTo("Validation failed");
      assertThat(p.locator("#selected button[disabled]").innerText()).isEqualTo("Reveal");
      assertThat(p.locator("#sel-notes").innerText())
          .contains("Validation failed", "No rotation schedule", "Scope model-access");
      assertThat(p.content()).doesNotContain("CANARY");
      t.check("engine");
    }
  }
}
