package io.secretsapi.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.server.TestServer;
import io.secretsapi.testing.TestStore;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every console answer carries the strict CSP and its companions, and no served page holds inline
 * script or style, which the CSP would block anyway: a page that needed one would be broken.
 */
class ConsoleHeadersHttpTest {
  @Test
  void everyAnswer_pagesAndAssets_carryCspAndNoInlineScriptOrStyle() {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      s.root()
          .createSecret(
              java.util.Map.of(
                  "name", "openai-prod-key",
                  "provider", "openai",
                  "resource_class", "model-access",
                  "environment", "production",
                  "value", "sk-headers-0123456789"));
      ConsoleClient c = new ConsoleClient(s.server().baseUrl());
      HttpResponse<String> login = c.get("/console/login");
      HttpResponse<String> refused = c.logIn("sk_wrong");
      c.logIn(s.rootKey());
      List<HttpResponse<String>> pages =
          List.of(login, refused, c.get("/console"), c.get("/console/secrets"));
      List<HttpResponse<String>> assets =
          List.of(
              c.get("/console/assets/console.css"),
              c.get("/console/assets/console.js"),
              c.get("/console/assets/htmx.min.js"),
              c.get("/console/assets/sse.js"),
              c.get("/console/assets/favicon.svg"));
      for (HttpResponse<String> r : concat(pages, assets)) {
        ConsoleAssertions.hasSecurityHeaders(r);
      }
      for (HttpResponse<String> r : pages) {
        assertThat(r.body()).startsWith("<!DOCTYPE html>");
        ConsoleAssertions.hasNoInlineScriptOrStyle(r.body());
      }
      assertThat(assets).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
      assertThat(assets.get(2).body()).contains("htmx");
    }
  }

  private static List<HttpResponse<String>> concat(
      List<HttpResponse<String>> a, List<HttpResponse<String>> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
