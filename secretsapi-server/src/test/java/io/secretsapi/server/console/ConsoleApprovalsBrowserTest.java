package io.secretsapi.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.secretsapi.client.Response;
import io.secretsapi.server.TestServer;
import io.secretsapi.testing.TestStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The pending approvals screen in Debian's Chromium: an agent's issue held by an {@code approve}
 * rule appears on the approver's open list without a reload, the approver approves it with a
 * reason, its row turns approved, and the agent's next ask gets its token.
 */
class ConsoleApprovalsBrowserTest {
  @RegisterExtension static final ConsoleBrowser BROWSER = new ConsoleBrowser();

  @Test
  void heldIssue_appearsOnOpenList_approverApprovesWithReasonAndRowTurnsApproved() {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      ApprovalWorld w = ApprovalWorld.make(s);
      String earlier = w.request();
      assertThat(
              s.root()
                  .withKey(w.approverKey())
                  .send(
                      "POST",
                      "/approvals/" + earlier + "/deny",
                      "{\"reason\":\"no change ticket\"}",
                      "application/json")
                  .status())
          .isEqualTo(200);
      try (ConsoleBrowser.Tab t = BROWSER.logIn(s.server().baseUrl(), w.approverKey())) {
        Page p = t.page();
        t.go("/console/approvals");
        assertThat(p.locator("#apr-showing").innerText()).isEqualTo("showing 1 · 0 pending");

        String id = w.request(); // while the page is open: the list's poll brings it
        p.locator("#apr-" + id)
            .waitFor(new com.microsoft.playwright.Locator.WaitForOptions().setTimeout(20_000));
        assertThat(p.locator("#apr-" + id).getAttribute("data-state")).isEqualTo("pending");
        assertThat(p.locator("#apr-" + id).innerText())
            .contains("agent-console", w.secretId(), "model-access", "production", "in 1");
        assertThat(p.locator("#approval-table tbody tr").first().getAttribute("data-approval"))
            .as("pending first")
            .isEqualTo(id);
        ConsoleKeysBrowserTest.axe(p);

        p.locator("#apr-" + id + " a.id").click();
        p.waitForURL(url -> url.endsWith("/console/approvals/" + id));
        p.getByLabel("reason to approve").fill("CHG-2291, on call");
        p.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Approve").setExact(true))
            .click();
        p.waitForURL(url -> url.endsWith("?decided=approved"));

        assertThat(p.locator(".notice").innerText()).startsWith("approved " + id);
        assertThat(p.locator("#apr-state").innerText()).isEqualTo("approved");
        assertThat(p.locator("#apr-" + id).getAttribute("data-state")).isEqualTo("approved");
        assertThat(p.locator("#apr-" + id).innerText()).contains("approver-console", "CHG-2291");
        assertThat(p.locator("#apr-steps").innerText()).contains("approve", "AU-");
        assertThat(p.locator("#apr-decide").count()).isZero();
        t.check("approvals");

        Response issued = w.askAgain(id);
        assertThat(issued.status()).as(issued.body()).isEqualTo(200);
        assertThat(w.state(id)).isEqualTo("issued");
        assertThat(t.problems()).isEmpty();
      }
    }
  }
}
