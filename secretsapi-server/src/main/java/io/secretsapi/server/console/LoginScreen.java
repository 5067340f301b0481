package io.secretsapi.server.console;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.secretsapi.access.AuthenticationException;
import io.secretsapi.access.Caller;
import io.secretsapi.audit.AuditEntry;
import io.secretsapi.audit.Origin;
import java.util.Optional;

/**
 * Login and logout. The API key typed into the form is checked by {@link
 * io.secretsapi.access.AccessService#authenticate}, exactly as the API checks a bearer key, then
 * dropped: the browser gets only a session cookie. A failed login is recorded as the API records a
 * failed authentication ({@code auth.fail}, the presented key as a keyed hash).
 */
final class LoginScreen {
  private LoginScreen() {}

  static void register(Console c) {
    ConsoleHttp http = c.http();
    http.open(
        "GET",
        "/console/login",
        ctx -> {
          SessionCookie cookie = new SessionCookie(c.options().tls());
          if (cookie.read(ctx).flatMap(c.sessions()::find).isPresent()) {
            ctx.redirect("/console", HttpStatus.SEE_OTHER);
            return;
          }
          c.templates().answer(ctx, 200, "login.jte", new LoginPage(Optional.empty()));
        });
    http.open("POST", "/console/login", ctx -> login(c, ctx));
    http.actionAnyKey(
        "/console/logout",
        (ctx, s) -> {
          new SessionCookie(c.options().tls()).read(ctx).ifPresent(c.sessions()::close);
          new SessionCookie(c.options().tls()).clear(ctx);
          ctx.redirect("/console/login", HttpStatus.SEE_OTHER);
        },
        (ctx, s, r) -> ConsoleHttp.toLogin(ctx));
  }

  private static void login(Console c, Context ctx) {
    if (SameOrigin.crossSite(ctx)) {
      c.templates()
          .answer(
              ctx,
              403,
              "login.jte",
              new LoginPage(Optional.of("a login from another site is refused: log in here")));
      return;
    }
    String key = ctx.formParam("api_key");
    String presented = key == null ? "" : key.trim();
    Origin.bind(Origin.of(c.http().api().requestId(ctx), ctx.ip(), "POST /console/login"));
    try {
      Caller caller;
      try {
        caller = c.core().access().authenticate(presented);
      } catch (AuthenticationException e) {
        AuditEntry.Builder fail =
            AuditEntry.of("auth.fail", "anonymous", "deny").status(401).reason("Unauthenticated");
        if (!presented.isEmpty()) {
          fail.hashed("credential", c.http().audit().hash(presented));
        }
        c.http().audit().record(fail.build());
        c.templates()
            .answer(
                ctx,
                401,
                "login.jte",
                new LoginPage(Optional.of("that api key is not valid, or has been revoked")));
        return;
      }
      String id = c.sessions().open(caller);
      c.http().record(caller, "request", "allow", 303, "console session opened");
      new SessionCookie(c.options().tls()).set(ctx, id, c.options().sessionMax());
      ctx.redirect("/console", HttpStatus.SEE_OTHER);
    } finally {
      Origin.clear();
    }
  }
}
