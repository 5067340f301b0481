package io.secretsapi.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import io.secretsapi.server.TestServer;
import io.secretsapi.testing.TestStore;
import java.util.Map;
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

        // the table follows the broker without a reload: a threshold set through the API shows
        String url = p.url();
        s.root()
            .call(
                "PUT",
                "/exposure/thresholds",
                Map.of("target_kind", "secret", "target", calm, "threshold", 0.1));
        s.evaluateExposure();
        p.waitForCondition(
            () -> p.locator("#x-" + calm).innerText().contains("0.10"),
            new Page.WaitForConditionOptions().setTimeout(15_000));
        assertThat(p.locator("#x-" + calm).innerText()).contains("secret", "at or above threshold");
        assertThat(p.url()).isEqualTo(url);

        p.locator("#x-" + w.secretId() + " a .name").click();
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

  @Test
  void thresholdForm_refusedNamingTheFieldThenAccepted() {
    try (TestServer s = TestServer.start(TestStore.SQLITE, ExposureWorld.CONFIG)) {
      ExposureWorld w = ExposureWorld.make(s);
      try (ConsoleBrowser.Tab t = BROWSER.logIn(s.server().baseUrl(), s.rootKey())) {
        Page p = t.page();
        t.go("/console/exposure");
        p.getByLabel("set on").selectOption("secret");
        p.getByLabel("target (secret id, resource class or policy id)").fill(w.secretId());
        p.getByLabel("threshold (above 0, at most 1)").fill("1.5");
        p.getByText("Set threshold").click();
        p.waitForLoadState();
        assertThat(p.locator(".refusal").innerText())
            .contains("threshold must be above 0 and at most 1", "field: threshold");
        assertThat(s.root().call("GET", "/exposure/thresholds", null).get("items")).isEmpty();

        p.getByLabel("target (secret id, resource class or policy id)").fill(w.secretId());
        p.getByLabel("threshold (above 0, at most 1)").fill("0.6");
        p.getByLabel("action").selectOption("incident");
        p.getByText("Set threshold").click();
        p.waitForURL(u -> u.contains("set="));
        assertThat(p.locator(".notice").innerText())
            .isEqualTo(
                "exposure threshold set · secret "
                    + w.secretId()
                    + " · threshold 0.60 · action incident");
        assertThat(p.locator("#thresholds").innerText()).contains(w.secretId(), "0.60", "incident");
        assertThat(p.content()).doesNotContain(ExposureWorld.CANARY);
      }
    }
  }
}
