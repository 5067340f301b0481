package io.secretsapi.server.console;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.secretsapi.Page;
import io.secretsapi.ValidationException;
import io.secretsapi.access.Caller;
import io.secretsapi.token.Grant;
import io.secretsapi.token.Revocation;
import io.secretsapi.token.RevokeRequest;
import io.secretsapi.token.TokenFilter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Trace and lineage (screen 4): {@code /console/tokens} lists tokens as {@code GET /tokens} does
 * (by secret, principal, status; one page), {@code /console/tokens/{id}} shows a token's tree and
 * access timeline, and {@code POST /console/tokens/{id}/revoke} revokes it and, by default, its
 * descendants, through the service {@code POST /access/revoke} calls.
 */
final class TokensScreen {
  static final String PATH = "/console/tokens";
  static final String LIST = "GET /tokens";
  static final String LINEAGE = "GET /tokens/{id}/lineage";
  static final String REVOKE = "POST /access/revoke";
  static final int PAGE = 50;

  private TokensScreen() {}

  static void register(Console c) {
    ConsoleHttp http = c.http();
    http.page(
        PATH,
        LIST,
        (ctx, s) -> list(c, ctx, s, Optional.empty()),
        (ctx, s, r) -> list(c, ctx, s, Optional.of(r)));
    http.page(
        PATH + "/{id}",
        LINEAGE,
        (ctx, s) -> lineage(c, ctx, s, Optional.empty()),
        (ctx, s, r) -> lineageOrList(c, ctx, s, r));
    http.action(
        PATH + "/{id}/revoke",
        REVOKE,
        (ctx, s) -> revoke(c, ctx, s),
        (ctx, s, r) -> lineageOrList(c, ctx, s, r));
  }

  static void list(Console c, Context ctx, Session s, Optional<Refusal> refusal) {
    String open = ctx.queryParam("id");
    if (refusal.isEmpty() && open != null && !open.isBlank()) {
      ctx.redirect(
          PATH
              + "/"
              + URLEncoder.encode(QueryParams.bounded("id", open, 200), StandardCharsets.UTF_8),
          HttpStatus.SEE_OTHER);
      return;
    }
    Caller caller = s.caller();
    String secret = refusal.isPresent() ? "" : QueryParams.text(ctx, "secret_id");
    String principal = refusal.isPresent() ? "" : QueryParams.text(ctx, "principal");
    String status = refusal.isPresent() ? "" : QueryParams.text(ctx, "status");
    String cursor = refusal.isPresent() ? "" : QueryParams.cursor(ctx);
    Frame frame = c.frame(s, "Tokens and lineage", "tokens");
    Page<Grant> grants = new Page<>(List.of(), Optional.empty());
    if (Scopes.allows(caller, c.http().api(), LIST)) {
      TokenFilter filter =
          new TokenFilter(opt(secret), opt(principal), opt(status), Optional.empty(), PAGE, 0);
      grants = c.core().tokens().page(caller, cursor.isEmpty() ? filter : filter.after(cursor));
    }
    Instant now = c.clock().instant();
    List<TokensPage.Row> rows = grants.items().stream().map(g -> row(g, now)).toList();
    Map<String, String> params = new LinkedHashMap<>();
    params.put("secret_id", secret);
    params.put("principal", principal);
    params.put("status", status);
    TokensPage page =
        new TokensPage(
            refusal.map(frame::withRefusal).orElse(frame),
            secret,
            principal,
            status,
            rows,
            "showing " + rows.size(),
            PageLinks.next(PATH, params, grants.nextCursor()),
            PageLinks.first(PATH, params, cursor));
    c.templates().answer(ctx, refusal.map(Refusal::status).orElse(200), "tokens.jte", page);
  }

  static void lineage(Console c, Context ctx, Session s, Optional<Refusal> refusal) {
    String id = ctx.pathParam("id");
    Frame frame = c.frame(s, "Lineage " + id, "tokens");
    LineagePage page =
        LineageView.of(
            c,
            s.caller(),
            id,
            refusal.map(frame::withRefusal).orElse(frame),
            refusal.isPresent() ? Optional.empty() : notice(ctx));
    c.templates().answer(ctx, refusal.map(Refusal::status).orElse(200), "lineage.jte", page);
  }

  /** After a refusal: the lineage with the refusal, else (no such token, say) the list. */
  private static void lineageOrList(Console c, Context ctx, Session s, Refusal r) {
    try {
      lineage(c, ctx, s, Optional.of(r));
    } catch (RuntimeException unreadable) {
      list(c, ctx, s, Optional.of(r));
    }
  }

  static void revoke(Console c, Context ctx, Session s) {
    String id = ctx.pathParam("id");
    boolean cascade = "true".equals(ctx.formParam("cascade"));
    String reason = ctx.formParam("reason") == null ? "" : ctx.formParam("reason").trim();
    if (reason.length() > 200) {
      throw new ValidationException("reason", "length", "reason must be at most 200 characters");
    }
    Revocation r =
        c.core()
            .tokens()
            .revoke(
                s.caller(),
                new RevokeRequest(id, cascade, null, null, null, reason.isEmpty() ? null : reason),
                Optional.of(c.http().api().requestId(ctx)));
    ctx.redirect(
        PATH
            + "/"
            + URLEncoder.encode(id, StandardCharsets.UTF_8)
            + "?revoked="
            + r.revoked()
            + "&audit_ref="
            + r.auditRef(),
        HttpStatus.SEE_OTHER);
  }

  /** What the revocation did, from the redirect's query: only a count and an audit reference. */
  private static Optional<String> notice(Context ctx) {
    String n = ctx.queryParam("revoked");
    String ref = ctx.queryParam("audit_ref");
    if (n == null || !n.matches("\\d{1,9}") || ref == null || !ref.matches("AU-\\d{1,19}")) {
      return Optional.empty();
    }
    return Optional.of("revoked " + n + (n.equals("1") ? " token · " : " tokens · ") + ref);
  }

  private static TokensPage.Row row(Grant g, Instant now) {
    String kind = g.depth() == 0 ? "scoped" : g.depth() == 1 ? "derived" : "downstream";
    return new TokensPage.Row(
        g.id(),
        kind,
        g.secretId(),
        g.scope(),
        g.subject(),
        g.status(),
        LineageView.ttl(g.status(), g.expiresAt(), now),
        Times.ago(Optional.of(g.issuedAt()), now),
        Times.iso(g.issuedAt()));
  }

  private static Optional<String> opt(String s) {
    return s.isEmpty() ? Optional.empty() : Optional.of(s);
  }
}
