package io.secretsapi.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.WaitForSelectorState;
import io.secretsapi.server.TestServer;
import io.secretsapi.testing.TestStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The live event stream (screen 3) in Debian's Chromium: lines arrive without a reload. */
class ConsoleEventsBrowserTest {
  @RegisterExtension static final ConsoleBrowser BROWSER = new ConsoleBrowser();

  static final String CANARY = "sk-proj-CANARY-live-0123456789abcdef";

  /** Opens the stream page and waits until its event stream answered. */
  static void openStream(ConsoleBrowser.Tab t, String path) {
    t.page().waitForResponse(r -> r.url().contains("/console/events/stream"), () -> t.go(path));
  }

  static Locator line(Page p, String text) {
    return p.locator("#event-lines li").filter(new Locator.FilterOptions().setHasText(text));
  }

  @Test
  void stream_tokenIssuedThroughApi_lineAppearsWithinASecondWithoutReload() {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      LiveWorld w = LiveWorld.make(s);
      String secret = w.secret("openai-prod-key", CANARY);
      try (ConsoleBrowser.Tab t = BROWSER.logIn(s.server().baseUrl(), s.rootKey())) {
        openStream(t, "/console/events");
        Page p = t.page();
        p.evaluate("() => { window.__noReload = true; }");
        String token = w.issue(secret).get("token_id").asString();
        long issued = System.nanoTime();
        line(p, token)
            .first()
            .waitFor(
                new Locator.WaitForOptions()
                    .setState(WaitForSelectorState.VISIBLE)
                    .setTimeout(1_000));
        long ms = (System.nanoTime() - issued) / 1_000_000;
        assertThat(ms).isLessThan(1_000);
        assertThat(p.evaluate("() => window.__noReload === true")).isEqualTo(true);
        Locator l = line(p, token).first();
        assertThat(l.innerText()).contains("issue", "token.issue", "agent-runtime-04", secret);
        assertThat(l.locator("a.tok").getAttribute("href")).isEqualTo("/console/tokens/" + token);
        assertThat(p.content()).doesNotContain(CANARY).doesNotContain("CANARY");
        t.check("events");
      }
    }
  }

  @Test
  void stream_filteredBySecret_showsOnlyThatSecretsEvents() {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      LiveWorld w = LiveWorld.make(s);
      String a = w.secret("openai-prod-key", CANARY);
      String b = w.secret("stripe-prod-key", "sk_live_CANARY_other_0123456789");
      String before = w.issue(b).get("token_id").asString();
      try (ConsoleBrowser.Tab t = BROWSER.logIn(s.server().baseUrl(), s.rootKey())) {
        openStream(t, "/console/events");
        Page p = t.page();
        assertThat(line(p, before).count()).isEqualTo(1);
        p.getByLabel("secret", new Page.GetByLabelOptions().setExact(true)).fill(a);
        p.waitForResponse(
            r -> r.url().contains("/console/events/stream") && r.url().contains(a),
            () -> p.getByText("Filter", new Page.GetByTextOptions().setExact(true)).click());
        assertThat(p.url()).contains("secret_id=" + a);
        assertThat(line(p, before).count()).as("the other secret's line is gone").isZero();
        String other = w.issue(b).get("token_id").asString();
        String mine = w.issue(a).get("token_id").asString();
        line(p, mine).first().waitFor(new Locator.WaitForOptions().setTimeout(2_000));
        assertThat(line(p, other).count()).isZero();
        assertThat(p.locator("#event-lines li").allInnerTexts())
            .isNotEmpty()
            .allSatisfy(text -> assertThat(text).contains(a));
        t.check("events-filtered");
      }
    }
  }

  @Test
  void stream_eventsOnlyKey_seesStreamButNoLineageLinksOrOtherScreens() {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      LiveWorld w = LiveWorld.make(s);
      String secret = w.secret("openai-prod-key", CANARY);
      String key = w.agentKeyWith("events:read");
      try (ConsoleBrowser.Tab t = BROWSER.logIn(s.server().baseUrl(), key)) {
        openStream(t, "/console/events");
        Page p = t.page();
        String token = w.issue(secret).get("token_id").asString();
        line(p, token).first().waitFor(new Locator.WaitForOptions().setTimeout(2_000));
        assertThat(line(p, token).first().locator("a").count()).isZero();
        assertThat(p.locator("nav").innerText()).contains("Live events").doesNotContain("lineage");
        assertThat(p.locator("form[method=post]").count()).as("only the logout form").isEqualTo(1);
        assertThat(p.content()).doesNotContain("CANARY");
      }
    }
  }
}
