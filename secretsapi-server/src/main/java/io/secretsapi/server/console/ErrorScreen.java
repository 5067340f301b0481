package io.secretsapi.server.console;

import io.javalin.http.Context;

/** A refusal shown in the layout, for screens that have nothing better to show with it. */
final class ErrorScreen {
  private ErrorScreen() {}

  static void answer(Console c, Context ctx, Session s, Refusal r) {
    Frame f = c.frame(s, "Refused", "").withRefusal(r);
    c.templates().answer(ctx, r.status(), "home.jte", f);
  }
}
