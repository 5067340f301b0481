package io.secretsapi.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.regex.Pattern;

/**
 * Checks every console screen's tests make of what the server answered: the security headers, no
 * inline script or style, no secret value. Each screen's own tests call these on its pages and
 * fragments, so that no shared test file grows a line per screen.
 */
final class ConsoleAssertions {
  static final String CSP =
      "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
  private static final Pattern INLINE_SCRIPT = Pattern.compile("<script(?![^>]*\\ssrc=)[^>]*>");
  private static final Pattern STYLE_ELEMENT = Pattern.compile("<style[\\s>]");
  private static final Pattern STYLE_ATTRIBUTE = Pattern.compile("\\sstyle\\s*=");
  private static final Pattern HANDLER_ATTRIBUTE = Pattern.compile("\\son[a-z]+\\s*=");
  private static final Pattern JS_URL = Pattern.compile("javascript:", Pattern.CASE_INSENSITIVE);

  private ConsoleAssertions() {}

  /** The CSP and its companion headers, on any console answer. */
  static void hasSecurityHeaders(HttpResponse<String> r) {
    assertThat(r.headers().firstValue("Content-Security-Policy")).hasValue(CSP);
    assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
  }

  /** No inline script, style element or attribute, event handler or script URL in a page. */
  static void hasNoInlineScriptOrStyle(String html) {
    assertThat(INLINE_SCRIPT.matcher(html).find()).as("inline script in %s", html).isFalse();
    assertThat(STYLE_ELEMENT.matcher(html).find()).as("style element in %s", html).isFalse();
    assertThat(STYLE_ATTRIBUTE.matcher(html).find()).as("style attribute in %s", html).isFalse();
    assertThat(HANDLER_ATTRIBUTE.matcher(html).find()).as("event handler in %s", html).isFalse();
    assertThat(JS_URL.matcher(html).find()).as("javascript: url in %s", html).isFalse();
  }

  /** Neither the body nor any header holds one of {@code values}. */
  static void showsNone(HttpResponse<String> r, String... values) {
    assertThat(r.body()).doesNotContain(values);
    assertThat(r.headers().map().toString()).doesNotContain(values);
  }
}
