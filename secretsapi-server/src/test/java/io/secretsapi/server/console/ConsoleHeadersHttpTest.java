package io.secretsapi.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.server.TestServer;
import io.secretsapi.testing.TestStore;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every console answer carries the strict CSP and its companions, and no served page holds inline
 * script or style, which the CSP would block anyway: a page that needed one would be broken.
 */
class ConsoleHeadersHttpTest {
  static final String CSP =
      "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
  private static final Pattern INLINE_SCRIPT = Pattern.compile("<script(?![^>]*\\ssrc=)[^>]*>");
  private static final Pattern STYLE_ELEMENT = Pattern.compile("<style[\\s>]");
  private static final Pattern STYLE_ATTRIBUTE = Pattern.compile("\\sstyle\\s*=");
  private static final Pattern HANDLER_ATTRIBUTE = Pattern.compile("\\son[a-z]+\\s*=");
  private static final Pattern JS_URL = Pattern.compile("javascript:", Pattern.CASE_INSENSITIVE);

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
        assertThat(r.headers().firstValue("Content-Security-Policy")).hasValue(CSP);
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
      }
      for (HttpResponse<String> r : pages) {
        String html = r.body();
        assertThat(html).startsWith("<!DOCTYPE html>");
        assertThat(INLINE_SCRIPT.matcher(html).find()).as("inline script in %s", html).isFalse();
        assertThat(STYLE_ELEMENT.matcher(html).find()).as("style element").isFalse();
        assertThat(STYLE_ATTRIBUTE.matcher(html).find()).as("style attribute").isFalse();
        assertThat(HANDLER_ATTRIBUTE.matcher(html).find()).as("event handler attribute").isFalse();
        assertThat(JS_URL.matcher(html).find()).as("javascript: url").isFalse();
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
