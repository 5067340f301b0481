package io.secretsapi.server.console;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.secretsapi.Durations;
import io.secretsapi.access.ApiKey;
import io.secretsapi.access.IssuedApiKey;
import io.secretsapi.access.ServiceAccount;
import java.time.Duration;
import java.util.Optional;

/**
 * The keys screen's forms, each calling the {@link io.secretsapi.access.AccessService} method its
 * API route calls, with the session's caller and the API's field names ({@code service_account_id},
 * {@code scopes}, {@code expires_in}, {@code grace}). A key made here is held for the next page
 * only ({@link Reveals}).
 */
final class KeysForms {
  private final Console c;
  private final Reveals reveals;

  KeysForms(Console c, Reveals reveals) {
    this.c = c;
    this.reveals = reveals;
  }

  void create(Context ctx, Session s) {
    String account = blankless(ctx, "service_account_id");
    Optional<Duration> expires =
        Optional.ofNullable(blankless(ctx, "expires_in"))
            .map(e -> Durations.parse("expires_in", e));
    IssuedApiKey made =
        c.core()
            .access()
            .createKey(
                s.caller(),
                account == null ? s.caller().serviceAccountId() : account,
                blankless(ctx, "name"),
                ctx.formParams("scopes"),
                expires);
    reveal(ctx, s, made);
  }

  void rotate(Context ctx, Session s) {
    String id = ctx.pathParam("id");
    Optional<Duration> grace =
        Optional.ofNullable(blankless(ctx, "grace")).map(g -> Durations.parse("grace", g));
    IssuedApiKey next = c.core().access().rotateKey(s.caller(), id, grace);
    boolean ownGone = id.equals(s.caller().apiKeyId()) && grace.map(Duration::isZero).orElse(true);
    if (ownGone) {
      // this session's key is revoked, and the session with it: the page after a redirect would
      // be the login, so the replacement is shown in this answer, its only showing
      ApiKey k = next.key();
      KeysScreen.show(
          c,
          ctx,
          s,
          Optional.empty(),
          Optional.of(
              new KeysPage.Reveal(
                  k.id(),
                  k.name(),
                  next.plaintext(),
                  KeysScreen.wires(k.scopes()),
                  Optional.of(id),
                  true,
                  true)));
      return;
    }
    reveal(ctx, s, next);
  }

  void revoke(Context ctx, Session s) {
    ApiKey k = c.core().access().revokeKey(s.caller(), ctx.pathParam("id"));
    ctx.redirect(KeysScreen.PATH + "?revoked=" + k.id(), HttpStatus.SEE_OTHER);
  }

  void createAccount(Context ctx, Session s) {
    ServiceAccount a =
        c.core()
            .access()
            .createServiceAccount(
                s.caller(), blankless(ctx, "name"), blankless(ctx, "description"));
    ctx.redirect(KeysScreen.PATH + "?account=" + a.id(), HttpStatus.SEE_OTHER);
  }

  void revokeAccount(Context ctx, Session s) {
    ServiceAccount a = c.core().access().revokeServiceAccount(s.caller(), ctx.pathParam("id"));
    ctx.redirect(KeysScreen.PATH + "?account=" + a.id(), HttpStatus.SEE_OTHER);
  }

  /** Holds the new key for the next page of this session, and redirects there by its id. */
  private void reveal(Context ctx, Session s, IssuedApiKey made) {
    reveals.hold(s.csrf(), made.key().id(), made.plaintext(), c.clock().instant());
    ctx.redirect(KeysScreen.PATH + "?created=" + made.key().id(), HttpStatus.SEE_OTHER);
  }

  /** A field, trimmed, or null when left blank: the service names it when it is required. */
  private static String blankless(Context ctx, String name) {
    String v = ctx.formParam(name);
    return v == null || v.trim().isEmpty() ? null : v.trim();
  }
}
