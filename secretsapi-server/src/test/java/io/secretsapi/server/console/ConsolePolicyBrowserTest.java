package io.secretsapi.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import io.secretsapi.server.TestServer;
import io.secretsapi.testing.TestStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The policies screen in Debian's Chromium: write a version, diff two, and dry runs. */
class ConsolePolicyBrowserTest {
  @RegisterExtension static final ConsoleBrowser BROWSER = new ConsoleBrowser();

  @Test
  void writeSecondVersion_fromForm_diffShowsTheChangedLines() {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      PolicyWorld.make(s);
      try (ConsoleBrowser.Tab t = BROWSER.logIn(s.server().baseUrl(), s.rootKey())) {
        Page p = t.page();
        t.go("/console/policies");
        assertThat(p.locator("#policy-sets").innerText()).contains("KEY-SCOPE-17", "v.1");
        String v2 =
            PolicyWorld.POLICY_V1.replace("[issue, derive, resolve, proxy]", "[issue, proxy]");
        p.getByLabel("document (YAML or JSON)").fill(v2);
        p.getByText("Write the next version").click();
        p.waitForURL(u -> u.contains("written=2"));
        assertThat(p.locator(".notice").innerText()).isEqualTo("wrote KEY-SCOPE-17 · v.2");
        assertThat(p.locator("#policy-versions tbody tr").count()).isEqualTo(2);
        assertThat(p.locator("#diff-h").innerText()).isEqualTo("Diff v.1 → v.2");
        assertThat(p.locator("#policy-diff .del").allInnerTexts())
            .containsExactly("-     operations: [issue, derive, resolve, proxy]");
        assertThat(p.locator("#policy-diff .add").allInnerTexts())
            .containsExactly("+     operations: [issue, proxy]");
        assertThat(s.root().call("GET", "/policies/KEY-SCOPE-17", null).get("version").asInt())
            .isEqualTo(2);
        assertThat(p.content()).doesNotContain(PolicyWorld.CANARY);
        t.check("policies");
      }
    }
  }

  @Test
  void dryRun_allowedAndRefusedRequests_answerDecisionWithReason() {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      PolicyWorld w = PolicyWorld.make(s);
      try (ConsoleBrowser.Tab t = BROWSER.logIn(s.server().baseUrl(), s.rootKey())) {
        Page p = t.page();
        t.go("/console/policies");
        p.getByLabel("principal").fill("agent-runtime-04");
        p.getByLabel("operation").selectOption("issue");
        p.getByLabel("secret", new Page.GetByLabelOptions().setExact(true)).fill(w.secretId());
        p.getByLabel("ttl").fill("10m");
        p.getByText("Decide, without doing it").click();
        p.waitForLoadState();
        String allow = p.locator("#dry-answer").innerText();
        assertThat(allow).startsWith("allow by KEY-SCOPE-17 · v.1 · agents-model-access");
        t.check("policies-dry-run");

        p.getByLabel("principal").fill("billing-worker");
        p.getByText("Decide, without doing it").click();
        p.waitForLoadState();
        String deny = p.locator("#dry-answer").innerText();
        assertThat(deny).startsWith("deny by ");
        assertThat(p.locator("#dry-reason").innerText()).isNotBlank();
        assertThat(p.content()).doesNotContain(PolicyWorld.CANARY);
      }
    }
  }
}
