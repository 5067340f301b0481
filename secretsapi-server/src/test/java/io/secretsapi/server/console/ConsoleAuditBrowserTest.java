package io.secretsapi.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import io.secretsapi.server.TestServer;
import io.secretsapi.testing.TestStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The audit replay in Debian's Chromium: filters, range verification, export and its receipt. */
class ConsoleAuditBrowserTest {
  @RegisterExtension static final ConsoleBrowser BROWSER = new ConsoleBrowser();

  @Test
  void export_downloaded_receiptShaEqualsFileSha() throws Exception {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      PolicyWorld.make(s);
      try (ConsoleBrowser.Tab t = BROWSER.logIn(s.server().baseUrl(), s.rootKey())) {
        t.go("/console/audit");
        Page p = t.page();
        p.locator("#verify-result").waitFor();
        assertThat(p.locator("#verify-result").innerText()).startsWith("verified: ");
        assertThat(p.locator("#audit-table tbody tr").first().innerText()).startsWith("AU-1");
        t.check("audit-all");
        t.go("/console/audit?from=4&to=10");
        p.locator("#verify-result").waitFor();
        t.check("audit");

        Download d = p.waitForDownload(() -> p.getByText("Export JSON Lines").click());
        byte[] file = Files.readAllBytes(d.path());
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file));
        String text = new String(file, StandardCharsets.UTF_8);
        long lines = text.chars().filter(c -> c == '\n').count();
        assertThat(d.suggestedFilename()).isEqualTo("secretsapi-audit-from-1.jsonl");
        assertThat(text).startsWith("{").doesNotContain(PolicyWorld.CANARY);

        t.go("/console/audit");
        assertThat(p.locator("#r-sha256").innerText()).isEqualTo(sha);
        assertThat(p.locator("#r-count").innerText()).isEqualTo(Long.toString(lines));
        assertThat(p.locator("#r-filename").innerText()).isEqualTo(d.suggestedFilename());
        assertThat(p.locator("#r-filters").innerText()).isEqualTo("from 1 to " + lines);
        assertThat(p.content()).doesNotContain(PolicyWorld.CANARY);
        p.locator("#receipt").scrollIntoViewIfNeeded();
        t.check("audit-receipt");
      }
    }
  }

  @Test
  void filters_bySecretTokenPrincipalAndOffset_showOnlyMatchingRecords() {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      PolicyWorld w = PolicyWorld.make(s);
      try (ConsoleBrowser.Tab t = BROWSER.logIn(s.server().baseUrl(), s.rootKey())) {
        Page p = t.page();
        t.go("/console/audit");
        p.getByLabel("secret", new Page.GetByLabelOptions().setExact(true)).fill(w.secretId());
        p.getByRole(
                com.microsoft.playwright.options.AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Replay").setExact(true))
            .click();
        p.waitForURL(u -> u.contains("secret_id=" + w.secretId()));
        List<String> rows = rows(p);
        assertThat(rows).isNotEmpty().allSatisfy(r -> assertThat(r).contains(w.secretId()));
        assertThat(p.locator("#audit-table").innerText()).doesNotContain(w.otherSecretId());

        t.go("/console/audit?token_id=" + w.tokenId());
        assertThat(rows(p)).isNotEmpty().allSatisfy(r -> assertThat(r).contains(w.tokenId()));

        t.go("/console/audit?principal=agent-runtime-04");
        assertThat(rows(p))
            .isNotEmpty()
            .allSatisfy(r -> assertThat(r).contains("agent-runtime-04"));

        t.go("/console/audit?from=3&to=5");
        assertThat(
                p.locator("#audit-table tbody tr")
                    .evaluateAll("rs => rs.map(r => r.dataset.offset)"))
            .isEqualTo(List.of("3", "4", "5"));
        assertThat(rows(p).get(0)).startsWith("AU-3");
        p.locator("#verify-result").waitFor();
        assertThat(p.locator("#verify-result").innerText())
            .startsWith("verified: 3 shown records included in the signed checkpoint of size");
      }
    }
  }

  @Test
  void filter_markupInPrincipal_isShownAsText() {
    String evil = "<img src=x onerror=alert(1)>";
    try (TestServer s = TestServer.start(TestStore.SQLITE);
        ConsoleBrowser.Tab t = BROWSER.logIn(s.server().baseUrl(), s.rootKey())) {
      t.go("/console/audit?principal=" + java.net.URLEncoder.encode(evil, StandardCharsets.UTF_8));
      Page p = t.page();
      assertThat(p.locator("img").count()).isZero();
      assertThat(p.getByLabel("principal").inputValue()).isEqualTo(evil);
      assertThat(t.problems()).isEmpty();
    }
  }

  private static List<String> rows(Page p) {
    return p.locator("#audit-table tbody tr").all().stream().map(Locator::innerText).toList();
  }
}
