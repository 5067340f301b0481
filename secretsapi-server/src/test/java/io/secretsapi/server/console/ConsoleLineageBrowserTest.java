package io.secretsapi.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import io.secretsapi.server.TestServer;
import io.secretsapi.testing.TestStore;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** Trace and lineage (screen 4) in Debian's Chromium: the tree, the timeline, revoke cascade. */
class ConsoleLineageBrowserTest {
  @RegisterExtension static final ConsoleBrowser BROWSER = new ConsoleBrowser();

  static final String CANARY = "sk-proj-CANARY-lineage-0123456789abcdef";

  /** A scoped token, its derived child and a downstream grandchild: the three ids, root first. */
  static List<String> family(LiveWorld w, String secret) {
    JsonNode root = w.issue(secret);
    JsonNode child = w.derive(root.get("token").asString(), "5m", List.of("reveal", "derive"));
    JsonNode grandchild = w.derive(child.get("token").asString(), "2m", List.of("reveal"));
    return List.of(
        root.get("token_id").asString(),
        child.get("token_id").asString(),
        grandchild.get("token_id").asString());
  }

  static Locator node(Page p, String token) {
    return p.locator("#tree li[data-token='" + token + "']");
  }

  @Test
  void lineage_revokeWithCascade_everyDescendantTurnsRevokedInPlace() {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      LiveWorld w = LiveWorld.make(s);
      String secret = w.secret("openai-prod-key", CANARY);
      List<String> ids = family(w, secret);
      try (ConsoleBrowser.Tab t = BROWSER.logIn(s.server().baseUrl(), s.rootKey())) {
        t.go("/console/tokens?secret_id=" + secret);
        Page p = t.page();
        assertThat(p.locator("#token-table tbody tr").count()).isEqualTo(3);
        t.check("tokens");
        p.locator("#token-table a", new Page.LocatorOptions().setHasText(ids.get(0))).click();
        p.waitForURL(u -> u.endsWith("/console/tokens/" + ids.get(0)));
        for (String id : ids) {
          assertThat(node(p, id).getAttribute("data-status")).isEqualTo("active");
        }
        assertThat(node(p, ids.get(1)).textContent()).contains("derived", "ttl 4m ");
        assertThat(node(p, ids.get(2)).textContent()).contains("downstream", "ttl 1m ");
        assertThat(p.locator("#tree").innerText()).contains(secret, "vault · sealed at rest");
        assertThat(p.locator("#timeline li").first().innerText())
            .startsWith("+0.00s")
            .contains("scoped token issued");
        assertThat(p.locator("#timeline").innerText()).contains("token derived");
        assertThat(p.content()).doesNotContain("CANARY");
        t.check("lineage");
        p.getByText("Revoke " + ids.get(0)).click();
        p.locator("#revoked-notice").waitFor();
        assertThat(p.locator("#revoked-notice").innerText()).startsWith("revoked 3 tokens · AU-");
        assertThat(p.url()).as("swapped in place, no navigation").doesNotContain("revoked=");
        for (String id : ids) {
          assertThat(node(p, id).getAttribute("data-status")).as(id).isEqualTo("revoked");
          assertThat(node(p, id).locator(":scope > .st").innerText()).isEqualTo("revoked");
        }
        assertThat(p.locator("#revoke-form").count()).isZero();
        assertThat(p.locator("#timeline").innerText()).contains("revoked");
        assertThat(p.content()).doesNotContain("CANARY");
        assertThat(t.problems()).isEmpty();
      }
      JsonNode api = s.root().call("GET", "/tokens/" + ids.get(2), null);
      assertThat(api.get("status").asString()).isEqualTo("revoked");
    }
  }

  @Test
  void lineage_auditReadKey_seesTreeButNoRevokeControl() {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      LiveWorld w = LiveWorld.make(s);
      String secret = w.secret("openai-prod-key", CANARY);
      List<String> ids = family(w, secret);
      String key = w.agentKeyWith("audit:read");
      try (ConsoleBrowser.Tab t = BROWSER.logIn(s.server().baseUrl(), key)) {
        t.go("/console/tokens/" + ids.get(1));
        Page p = t.page();
        assertThat(node(p, ids.get(0)).count()).isEqualTo(1);
        assertThat(node(p, ids.get(2)).count()).isEqualTo(1);
        assertThat(p.locator("#revoke-form").count()).isZero();
        assertThat(p.locator("form[method=post]").count()).as("only the logout form").isEqualTo(1);
        t.check("lineage-read-only");
      }
    }
  }
}
