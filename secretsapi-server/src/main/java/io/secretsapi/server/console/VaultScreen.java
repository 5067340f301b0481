package io.secretsapi.server.console;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.secretsapi.access.Caller;
import io.secretsapi.secret.Secret;
import io.secretsapi.secret.SecretPage;
import io.secretsapi.secret.Vault;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The secrets vault (screen 2) at {@code /console/secrets}: the listing of {@code GET /secrets},
 * and forms that do what {@code POST /secrets}, {@code POST /secrets/{id}/rotate}, {@code DELETE
 * /secrets/{id}} and {@code POST /secrets/{id}/scope} do, through the same services and scopes.
 * Values are only ever typed in: the page shows masked forms and fingerprints, never a value.
 */
final class VaultScreen {
  static final String PATH = "/console/secrets";

  private VaultScreen() {}

  static void register(Console c) {
    ConsoleHttp http = c.http();
    ConsoleHttp.OnRefusal again = (ctx, s, r) -> show(c, ctx, s, Optional.of(r));
    http.page(PATH, "GET /secrets", (ctx, s) -> show(c, ctx, s, Optional.empty()), again);
    http.action(PATH, "POST /secrets", (ctx, s) -> VaultForms.create(c, ctx, s), again);
    http.action(
        PATH + "/{id}/rotate",
        "POST /secrets/{id}/rotate",
        (ctx, s) -> VaultForms.rotate(c, ctx, s),
        again);
    http.action(
        PATH + "/{id}/seal", "DELETE /secrets/{id}", (ctx, s) -> VaultForms.seal(c, ctx, s), again);
    http.action(
        PATH + "/{id}/scope",
        "POST /secrets/{id}/scope",
        (ctx, s) -> VaultForms.defineScope(c, ctx, s),
        again);
  }

  /** After a change: back to the listing (a reload does not post again), naming what changed. */
  static void done(Context ctx, String what, String id) {
    ctx.redirect(PATH + "?" + what + "=" + id, HttpStatus.SEE_OTHER);
  }

  static void show(Console c, Context ctx, Session s, Optional<Refusal> refusal) {
    Caller caller = s.caller();
    Vault vault = c.core().vault();
    Frame frame = c.frame(s, "Secrets vault", "vault");
    if (refusal.isPresent()) {
      frame = frame.withRefusal(refusal.get());
    } else {
      frame = notice(vault, caller, ctx).map(frame::withNotice).orElse(frame);
    }
    VaultFilter filter = filterOrDefault(ctx, refusal);
    // a refusal of the page itself (no secrets:read) shows an empty table, never the listing
    SecretPage page =
        Scopes.allows(caller, c.http().api(), "GET /secrets")
            ? vault.list(caller, filter.toSecretFilter())
            : new SecretPage(List.of(), 0, filter.limit(), 0);
    Instant now = c.clock().instant();
    List<VaultPage.Row> rows = page.items().stream().map(x -> row(x, now)).toList();
    VaultPage model =
        new VaultPage(
            frame,
            filter,
            rows,
            page.summary(),
            PageLinks.next(PATH, filter.params(), page.nextCursor()),
            PageLinks.first(PATH, filter.params(), filter.cursor()),
            Scopes.allows(caller, c.http().api(), "POST /secrets"),
            VaultUnder.policies(c, caller),
            VaultUnder.checkpoint(c, caller));
    c.templates().answer(ctx, refusal.map(Refusal::status).orElse(200), "vault.jte", model);
  }

  /**
   * The request's filters; after a refusal the defaults, so that a refused field (one holding a
   * secret, say) is never written back into the page.
   */
  private static VaultFilter filterOrDefault(Context ctx, Optional<Refusal> refusal) {
    return refusal.isPresent() ? VaultFilter.DEFAULT : VaultFilter.of(ctx);
  }

  private static Optional<String> notice(Vault vault, Caller caller, Context ctx) {
    for (String what : List.of("created", "rotated", "sealed", "scoped")) {
      String id = ctx.queryParam(what);
      if (id != null && id.startsWith("sec_")) {
        try {
          Secret x = vault.get(caller, id);
          return Optional.of(what + " " + x.id() + " · " + x.name());
        } catch (RuntimeException notVisible) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  private static VaultPage.Row row(Secret x, Instant now) {
    return new VaultPage.Row(
        x.id(),
        x.name(),
        x.provider(),
        x.resourceClass(),
        x.environment(),
        x.owner() == null ? "" : x.owner(),
        x.tags(),
        x.masked(),
        x.fingerprint(),
        x.currentVersion(),
        x.kind(),
        Times.ago(x.lastAccessedAt(), now),
        x.lastAccessedAt().map(Times::iso).orElse(""));
  }
}
