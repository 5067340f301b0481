package io.secretsapi.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import io.secretsapi.server.TestServer;
import io.secretsapi.testing.TestStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The resource topology in Debian's Chromium: resources grouped by trust zone with their rate and
 * state (a word and its colour), and the form that assigns a resource to a zone.
 */
class ConsoleTopologyBrowserTest {
  @RegisterExtension static final ConsoleBrowser BROWSER = new ConsoleBrowser();

  static final String POLICY =
      "rules:\n  - id: root-all\n    effect: allow\n    principals: [root]\n    operations: ['*']\n";

  static final Page.GetByLabelOptions EXACT = new Page.GetByLabelOptions().setExact(true);

  @Test
  void assign_resourceToZone_groupedWithRateAndState() {
    try (TestServer s = TestServer.start(TestStore.SQLITE);
        ConsoleBrowser.Tab t = BROWSER.logIn(s.server().baseUrl(), s.rootKey())) {
      assertThat(
              s.root().send("PUT", "/policies/KEY-SCOPE-17", POLICY, "application/yaml").status())
          .isEqualTo(200);
      String model = ConsoleTopologyHttpTest.secretReaching(s, "openai-prod-key", "api.openai.com");
      ConsoleTopologyHttpTest.secretReaching(s, "product-feed-key", "feeds.example.com");
      s.root()
          .call(
              "PUT",
              "/topology/zones/trust-boundary-02",
              Map.of("description", "model providers", "resources", List.of("api.openai.com")));
      for (int i = 0; i < 3; i++) {
        s.root()
            .call(
                "POST",
                "/tokens/issue",
                Map.of(
                    "secret_id",
                    model,
                    "scope",
                    "model-access",
                    "ttl",
                    "5m",
                    "environment",
                    "production"));
      }
      Page p = t.page();
      t.go("/console/topology");
      var openai = p.locator("#zone-trust-boundary-02 tr[data-resource='api.openai.com']");
      assertThat(openai.locator(".status").innerText()).isEqualTo("active");
      assertThat(openai.locator(".rate").innerText()).isEqualTo("acc 3/m");
      assertThat(
              p.locator("#zone-unassigned tr[data-resource='feeds.example.com'] .status")
                  .innerText())
          .isEqualTo("scoped");

      p.getByLabel("Resource", EXACT).fill("feeds.example.com");
      p.getByLabel("Zone", EXACT).fill("zone-04");
      p.getByLabel("Description", EXACT).fill("product feeds");
      p.getByText("Assign", new Page.GetByTextOptions().setExact(true)).click();
      p.waitForURL(url -> url.contains("assigned="));
      assertThat(p.locator(".notice").innerText())
          .isEqualTo("assigned feeds.example.com to trust zone zone-04");
      assertThat(p.locator("#zone-zone-04 tr[data-resource='feeds.example.com']").count())
          .isEqualTo(1);
      assertThat(p.locator("#zone-unassigned").innerText()).contains("no resource");
      assertThat(p.content()).doesNotContain("CANARY");
      t.check("topology");
    }
  }
}
