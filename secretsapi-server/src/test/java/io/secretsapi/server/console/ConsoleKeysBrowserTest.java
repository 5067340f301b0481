package io.secretsapi.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.deque.html.axecore.playwright.AxeBuilder;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import io.secretsapi.server.TestServer;
import io.secretsapi.testing.TestStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The API keys screen in Debian's Chromium: a key shown once, rotate, revoke, axe. */
class ConsoleKeysBrowserTest {
  @RegisterExtension static final ConsoleBrowser BROWSER = new ConsoleBrowser();

  /** No serious or critical axe-core violation, without a screenshot (the page shows a key). */
  static void axe(Page p) {
    var bad =
        new AxeBuilder(p)
            .analyze().getViolations().stream()
                .filter(v -> "serious".equals(v.getImpact()) || "critical".equals(v.getImpact()))
                .map(v -> v.getId())
                .toList();
    assertThat(bad).as("axe-core violations").isEmpty();
  }

  static Locator row(Page p, String keyId) {
    return p.locator("#key-" + keyId);
  }

  @Test
  void createKey_shownOnceThenMaskedOnReload() {
    try (TestServer s = TestServer.start(TestStore.SQLITE);
        ConsoleBrowser.Tab t = BROWSER.logIn(s.server().baseUrl(), s.rootKey())) {
      t.context().grantPermissions(List.of("clipboard-read", "clipboard-write"));
      Page p = t.page();
      t.go("/console/keys");
      assertThat(p.locator("input[name=scopes][value='tokens:issue']").isChecked()).isTrue();
      assertThat(p.content()).contains("Recommended first-run scope");
      p.getByLabel("key name").fill("agent-first-run");
      p.getByText("Create key", new Page.GetByTextOptions().setExact(true)).last().click();
      p.waitForURL(url -> url.contains("created=sk_"));
      String key = p.locator("#new-key").innerText().trim();
      String keyId = key.substring(0, "sk_".length() + 16);
      String secretPart = key.substring(keyId.length() + 1);
      assertThat(secretPart).hasSize(43);
      assertThat(p.locator(".reveal").innerText())
          .contains(
              "New API keys are only revealed once at creation time. Store the secret before"
                  + " navigating away.");
      assertThat(p.url()).doesNotContain(secretPart);
      axe(p);
      assertThat(t.problems()).isEmpty();

      p.getByText("Copy", new Page.GetByTextOptions().setExact(true)).click();
      p.waitForCondition(() -> !p.locator("#copy-state").innerText().isEmpty());
      assertThat(p.locator("#copy-state").innerText()).isEqualTo("copied");
      assertThat(p.evaluate("navigator.clipboard.readText()")).isEqualTo(key);

      // the key works, and its use shows as the usage signal once the broker writes it (~1s)
      s.root().withKey(key).listApiKeys(java.util.Optional.empty());
      p.waitForTimeout(2_500);
      Response again = p.reload();
      assertThat(again.headers().get("cache-control")).isEqualTo("no-store");
      assertThat(p.content()).doesNotContain(secretPart);
      assertThat(p.locator("#new-key").count()).isZero();
      assertThat(p.locator(".notice").innerText())
          .isEqualTo("created " + keyId + "_•••• · agent-first-run · active");
      Locator r = row(p, keyId);
      assertThat(r.innerText()).contains("agent-first-run", "tokens:issue", "active", "s ago");
      assertThat(r.locator("td").nth(5).innerText().trim()).isEqualTo("1");
      t.check("keys");
    }
  }

  @Test
  void rotateAndRevoke_fromScreen_statusChanges() {
    try (TestServer s = TestServer.start(TestStore.SQLITE);
        ConsoleBrowser.Tab t = BROWSER.logIn(s.server().baseUrl(), s.rootKey())) {
      String account =
          s.root()
              .listApiKeys(java.util.Optional.empty())
              .get("items")
              .get(0)
              .get("service_account_id")
              .asString();
      String old =
          s.root()
              .createApiKey(
                  Map.of(
                      "service_account_id",
                      account,
                      "name",
                      "ci-deploy",
                      "scopes",
                      List.of("tokens:issue")))
              .get("id")
              .asString();
      Page p = t.page();
      t.go("/console/keys");
      row(p, old).locator("summary").click();
      row(p, old).getByText("Rotate", new Locator.GetByTextOptions().setExact(true)).click();
      p.waitForURL(url -> url.contains("created=sk_"));
      assertThat(p.locator("#reveal-h").innerText()).contains("Replacement for " + old);
      assertThat(p.locator(".reveal").innerText()).contains(old + " was revoked at once.");
      String replacement = p.url().substring(p.url().indexOf("created=") + "created=".length());
      t.go("/console/keys");
      assertThat(row(p, old).locator(".status").innerText()).isEqualTo("revoked");
      assertThat(row(p, old).innerText()).contains("replaced by " + replacement, "historical");
      assertThat(row(p, replacement).locator(".status").innerText()).isEqualTo("active");
      assertThat(row(p, replacement).innerText()).contains("replaces " + old);

      // with a grace, the old key stays active until it runs out
      row(p, replacement).locator("summary").click();
      row(p, replacement).getByLabel("grace (blank: revoke the old key at once)").fill("1h");
      row(p, replacement)
          .getByText("Rotate", new Locator.GetByTextOptions().setExact(true))
          .click();
      p.waitForURL(url -> url.contains("created=sk_"));
      assertThat(p.locator(".reveal").innerText()).contains("stays valid until its grace runs out");
      t.go("/console/keys");
      assertThat(row(p, replacement).locator(".status").innerText()).isEqualTo("active");
      assertThat(row(p, replacement).innerText()).contains("grace until");

      row(p, replacement).locator("summary").click();
      row(p, replacement)
          .getByRole(
              com.microsoft.playwright.options.AriaRole.BUTTON,
              new Locator.GetByRoleOptions().setName("Revoke " + replacement))
          .click();
      p.waitForURL(url -> url.contains("revoked=" + replacement));
      assertThat(row(p, replacement).locator(".status").innerText()).isEqualTo("revoked");
      assertThat(p.locator(".notice").innerText()).contains("revoked " + replacement);
      assertThat(s.root().getApiKey(replacement).get("status").asString()).isEqualTo("revoked");
      assertThat(t.problems()).isEmpty();
    }
  }

  @Test
  void keys_markupInNames_isShownAsText() {
    String evil = "<img src=x onerror=alert(1)>";
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      String account = s.root().createServiceAccount("evil-desc", evil).get("id").asString();
      s.root()
          .createApiKey(
              Map.of(
                  "service_account_id",
                  account,
                  "name",
                  "evil-key",
                  "scopes",
                  List.of("audit:read")));
      try (ConsoleBrowser.Tab t = BROWSER.logIn(s.server().baseUrl(), s.rootKey())) {
        t.go("/console/keys");
        assertThat(t.page().locator("main img").count()).isZero();
        assertThat(t.page().locator("#accounts-table").innerText()).contains(evil);
        assertThat(t.problems()).isEmpty();
      }
    }
  }
}
