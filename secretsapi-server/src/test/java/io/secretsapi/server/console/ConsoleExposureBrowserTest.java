package io.secretsapi.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import io.secretsapi.server.TestServer;
import io.secretsapi.testing.TestStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The exposure screen and a secret's exposure replay in Debian's Chromium. */
class ConsoleExposureBrowserTest {
  @RegisterExtension static final ConsoleBrowser BROWSER = new ConsoleBrowser();

  @Test
  void burstOfCalls_rankedExplainedAndReplayedWithItsSignedCheck() {
    try (TestServer s = TestServer.start(TestStore.SQLITE, ExposureWorld.CONFIG)) {
      ExposureWorld w = ExposureWorld.make(s);
      String calm = w.another("anthropic-prod-key", 8);
      w.burst();
      s.root().call("POST", "/audit/checkpoints", null);
      try (ConsoleBrowser.Tab t = BROWSER.logIn(s.server().baseUrl(), s.rootKey())) {
        Page p = t.page();
        assertThat(p.locator("#band").textContent()).contains("Rotation", "Exposure", "drift +");
        p.getByLabel("Screens")
            .getByRole(
                com.microsoft.playwright.options.AriaRole.LINK,
                new Locator.GetByRoleOptions().setName("Exposure").setExact(true))
            .click();
        p.waitForURL(u -> u.endsWith("/console/exposure"));
        Locator row = p.locator("#x-" + w.secretId());
        assertThat(row.innerText()).contains("openai-prod-key", "at or above threshold");
        assertThat(p.locator("#exposure-table tbody tr").first().getAttribute("data-id"))
            .isEqualTo(w.secretId());
        assertThat(p.locator("#x-" + calm).innerText()).contains("anthropic-prod-key", "default");

        row.locator("a .name").click();
        p.waitForURL(u -> u.contains("id=" + w.secretId()));
        String why = p.locator("#explain-factors").innerText();
        assertThat(why)
            .contains("scope_breadth", "call_velocity", "distinct_callers", "refusals", "drift");
        assertThat(p.locator("#explain-h").innerText()).startsWith("Why 0.");
        assertThat(p.content()).doesNotContain(ExposureWorld.CANARY);
        t.check("exposure");

        p.locator("#explain").getByText("exposure replay of openai-prod-key").click();
        p.waitForURL(u -> u.endsWith("/console/exposure/" + w.secretId()));
        assertThat(p.locator("#replay").innerText())
            .contains("anomaly score exceeded threshold", "exposure threshold set", "EX-", "AU-");
        Locator verified = p.locator("#verify-result");
        verified.waitFor();
        assertThat(verified.innerText()).startsWith("verified: ");
        assertThat(p.content()).doesNotContain(ExposureWorld.CANARY);
        t.check("exposure-replay");
      }
    }
  }
}
