package io.secretsapi.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.sun.net.httpserver.HttpServer;
import io.secretsapi.client.Response;
import io.secretsapi.server.TestServer;
import io.secretsapi.testing.TestStore;
import java.net.InetSocketAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Credential posture in Debian's Chromium, against a provider stand-in on loopback that accepts one
 * key: validate now records a validation, and the status follows what the broker recorded.
 */
class ConsolePostureBrowserTest {
  @RegisterExtension static final ConsoleBrowser BROWSER = new ConsoleBrowser();

  static final String GOOD = "sk-good-posture-0123456789abcdef";
  static final String BAD = "sk-bad-posture-0123456789abcdef";

  static final String VALIDATE_POLICY =
      """
      id: VALIDATION
      rules:
        - id: root-validates
          effect: allow
          principals: ["root"]
          operations: [validate]
      """;

  /** OpenAI's check ({@code GET /v1/models}): 200 for the good key, 401 for any other. */
  static HttpServer provider() throws Exception {
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext(
        "/",
        ex -> {
          boolean ok =
              ex.getRequestURI().getPath().equals("/v1/models")
                  && ("Bearer " + GOOD).equals(ex.getRequestHeaders().getFirst("Authorization"));
          ex.sendResponseHeaders(ok ? 200 : 401, -1);
          ex.close();
        });
    http.start();
    return http;
  }

  static TestServer server(HttpServer provider, String rotationPeriod) {
    String host = "127.0.0.1:" + provider.getAddress().getPort();
    TestServer s =
        TestServer.start(
            TestStore.SQLITE,
            Map.of(
                "proxy.insecure_upstreams", host,
                "validation.base_urls", "openai=http://" + host,
                "validation.rotation_period", rotationPeriod));
    Response put =
        s.root().send("PUT", "/policies/VALIDATION", VALIDATE_POLICY, "application/yaml");
    assertThat(put.status()).as(put.body()).isEqualTo(200);
    return s;
  }

  static String secret(TestServer s, String name, String value) {
    return s.root()
        .createSecret(
            Map.of(
                "name", name,
                "provider", "openai",
                "resource_class", "model-access",
                "environment", "production",
                "owner", "AI Platform",
                "value", value))
        .get("id")
        .asString();
  }

  static String status(Page p, String id) {
    return p.locator("#cred-" + id + " .status").innerText();
  }

  @Test
  void validateNow_goodAndBadKeys_recordsHealthyAndValidationFailed() throws Exception {
    HttpServer provider = provider();
    try (TestServer s = server(provider, "90d");
        ConsoleBrowser.Tab t = BROWSER.logIn(s.server().baseUrl(), s.rootKey())) {
      String good = secret(s, "openai-prod-key", GOOD);
      String bad = secret(s, "openai-stale-key", BAD);
      Page p = t.page();
      t.go("/console/posture?id=" + bad);
      assertThat(status(p, good)).isEqualTo("Not validated");
      assertThat(p.locator("#selected").innerText())
          .contains("openai-stale-key", "reveal disabled", "Fingerprint", "never validated");
      assertThat(p.content()).doesNotContain(BAD).doesNotContain(GOOD);

      p.getByText("Validate now").click();
      p.waitForURL(url -> url.contains("validated=1"));
      assertThat(p.locator("#sel-status").innerText()).isEqualTo("Validation failed");
      assertThat(p.locator("#sel-validation").innerText()).startsWith("Validation failed ");
      assertThat(status(p, bad)).isEqualTo("Validation failed");
      assertThat(p.locator(".notice").innerText()).contains("refused the key (HTTP 401)");

      p.locator("#cred-" + good + " a").click();
      p.waitForURL(url -> url.contains("id=" + good));
      p.getByText("Validate now").click();
      p.waitForURL(url -> url.contains("validated=1") && url.contains(good));
      assertThat(status(p, good)).isEqualTo("Healthy");
      assertThat(p.locator("#sel-validation").innerText()).startsWith("Validated ");
      // the same record the API reads
      assertThat(
              s.root()
                  .call("GET", "/secrets/" + good + "/validation", null)
                  .get("status")
                  .asString())
          .isEqualTo("healthy");
      assertThat(p.content()).doesNotContain(BAD).doesNotContain(GOOD);
      t.check("posture");
    } finally {
      provider.stop(0);
    }
  }

  @Test
  void posture_currentVersionOlderThanRotationPeriod_showsRotationDue() throws Exception {
    HttpServer provider = provider();
    try (TestServer s = server(provider, "1s");
        ConsoleBrowser.Tab t = BROWSER.logIn(s.server().baseUrl(), s.rootKey())) {
      String good = secret(s, "openai-old-key", GOOD);
      Thread.sleep(1_200);
      Page p = t.page();
      t.go("/console/posture");
      assertThat(status(p, good)).isEqualTo("Rotation due");
      p.getByText("Validate now").click();
      p.waitForURL(url -> url.contains("validated=1"));
      assertThat(p.locator("#sel-status").innerText()).isEqualTo("Rotation due");
      assertThat(p.locator(".notice").innerText()).contains("older than the rotation period");
      assertThat(t.problems()).isEmpty();
    } finally {
      provider.stop(0);
    }
  }
}
