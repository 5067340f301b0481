package io.secretsapi.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.secretsapi.server.TestServer;
import io.secretsapi.testing.TestStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The incident and rotation screens in Debian's Chromium: an incident opened through the form on a
 * secret with live grants, its timeline and affected services, then closed; and a rotation pressed
 * through "Rotate now" that the server's leader loop moves through the queue.
 */
class ConsoleIncidentsBrowserTest {
  @RegisterExtension static final ConsoleBrowser BROWSER = new ConsoleBrowser();

  private static void press(Page p, String button) {
    p.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(button).setExact(true))
        .click();
  }

  @Test
  void openIncident_throughForm_showsTimelineAndAffectedServicesThenCloses() {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      LiveWorld w = LiveWorld.make(s);
      String secret = ConsoleIncidentsHttpTest.generatedSecret(w, "openai-prod-key");
      String parent = w.issue(secret).get("token").asString();
      w.derive(parent, "5m", List.of("proxy"));
      w.issue(secret);
      try (ConsoleBrowser.Tab t = BROWSER.logIn(s.server().baseUrl(), s.rootKey())) {
        Page p = t.page();
        t.go("/console/incidents");
        p.getByLabel("secret_id").fill(secret);
        p.getByLabel("reason").fill("key seen in a public log");
        press(p, "Open incident");
        p.locator("#incident-timeline").waitFor();

        assertThat(p.locator("#incident-timeline li").count()).isEqualTo(7);
        assertThat(p.locator("#incident-timeline li").first().innerText())
            .contains("01", "credential revoked", "t+0.00s");
        assertThat(p.locator("#affected").innerText())
            .contains("api.openai.com", "blocked", "agent-runtime-04", "pending");
        assertThat(p.locator("#replacements").innerText()).contains("shown once");
        String token = p.locator("#replacements code.token").first().innerText().trim();
        assertThat(token).isNotEmpty();
        ConsoleKeysBrowserTest.axe(p);
        String id = p.locator("h1").innerText().substring("Incident ".length()).trim();

        t.go("/console/incidents/" + id);
        assertThat(p.content()).doesNotContain(token);
        assertThat(p.locator("#replacements").count()).isZero();
        assertThat(p.locator("#containment-l").innerText()).startsWith("containment ");
        assertThat(p.locator("#incident-state").innerText()).isEqualTo("containment active");
        assertThat(p.locator("#incident-figs").innerText())
            .contains(id, secret, "1 revoked 1 / pending 0");
        t.check("incident");

        p.getByLabel("note").fill("owner rotated it; services re-authenticated");
        press(p, "Close incident");
        p.waitForURL(url -> url.endsWith("?closed=1"));
        assertThat(p.locator("#incident-state").innerText()).isEqualTo("closed");
        assertThat(p.locator("#affected").innerText()).contains("restored");
        assertThat(p.locator("#closed-note").innerText()).contains("owner rotated it");
        assertThat(s.root().call("GET", "/incidents/" + id, null).get("state").asString())
            .isEqualTo("closed");

        t.go("/console/incidents");
        assertThat(p.locator("#in-" + id).innerText()).contains("closed", secret);
        t.check("incidents");
        assertThat(t.problems()).isEmpty();
      }
    }
  }

  @Test
  void rotateNow_generatedSecret_movesThroughTheQueueToPrevious() {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      String secret = ConsoleRotationsHttpTest.generated(s, "openai-prod-key");
      String other = ConsoleRotationsHttpTest.generated(s, "shopify-product-feed");
      s.root()
          .send(
              "POST",
              "/secrets/" + other + "/rotate",
              "{\"reason\":\"scheduled by hand\"}",
              "application/json",
              Map.of("Idempotency-Key", "browser-1"));
      try (ConsoleBrowser.Tab t = BROWSER.logIn(s.server().baseUrl(), s.rootKey())) {
        Page p = t.page();
        t.go("/console/rotations");
        p.getByLabel("secret_id", new Page.GetByLabelOptions().setExact(true)).fill(secret);
        p.getByLabel("reason").fill("quarterly rotation");
        press(p, "Rotate now");
        p.waitForURL(url -> url.contains("/console/rotations/ROT-") && url.endsWith("?queued=1"));
        assertThat(p.locator(".notice").innerText()).startsWith("queued ROT-");

        long end = System.nanoTime() + 15_000_000_000L;
        while (!"previous".equals(p.locator("#rotation").getAttribute("data-state"))
            && System.nanoTime() < end) {
          p.waitForTimeout(250);
          p.reload();
        }
        assertThat(p.locator("#rotation").getAttribute("data-state")).isEqualTo("previous");
        assertThat(p.locator("#rot-versions").innerText()).isEqualTo("v1 → v2");
        assertThat(p.locator("#rot-steps").innerText())
            .contains("queued", "pending", "validated", "promoted", "previous", "AU-");
        t.check("rotations");
        assertThat(t.problems()).isEmpty();
      }
    }
  }
}
