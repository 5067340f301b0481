package io.secretsapi.server.console;

import io.javalin.http.Context;

/**
 * Refuses console posts that a browser says come from another site: {@code Sec-Fetch-Site} other
 * than {@code same-origin} or {@code none}, or an {@code Origin} that is not this host. The login
 * form has no session and so no CSRF token yet; this keeps another site from logging a browser in
 * under the attacker's key. Clients that send neither header (curl, tests) are not browsers and
 * pass; the CSRF token still guards every signed-in post.
 */
final class SameOrigin {
  private SameOrigin() {}

  static boolean crossSite(Context ctx) {
    String site = ctx.header("Sec-Fetch-Site");
    if (site != null) {
      return !site.equals("same-origin") && !site.equals("none");
    }
    // with Referrer-Policy: no-referrer a browser sends Origin: null on its own form posts, so
    // "null" says nothing; a browser too old for Sec-Fetch-Site still names another site here
    String origin = ctx.header("Origin");
    if (origin == null || origin.equals("null")) {
      return false;
    }
    String host = ctx.header("Host");
    return host == null || !(origin.equals("http://" + host) || origin.equals("https://" + host));
  }
}
