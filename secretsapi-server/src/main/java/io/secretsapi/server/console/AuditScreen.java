package io.secretsapi.server.console;

import io.javalin.http.Context;
import io.secretsapi.Page;
import io.secretsapi.access.Caller;
import io.secretsapi.audit.AuditLog;
import io.secretsapi.audit.AuditTrail.Stored;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit replay (screen 5) at {@code /console/audit}: the records of {@code GET /audit/trail} by
 * secret, token, principal, type or offset range, read through the same {@link
 * io.secretsapi.audit.AuditTrail} with the session's caller (so a key without {@code admin} sees
 * what the API shows it: its own principal's and its account's records); whether the shown records
 * verify against the latest signed checkpoint ({@link AuditRange}); and the export of {@code GET
 * /audit/export} with its receipt ({@link AuditExports}).
 */
final class AuditScreen {
  static final String PATH = "/console/audit";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private AuditScreen() {}

  static void register(Console c) {
    ConsoleHttp http = c.http();
    AuditExports exports = new AuditExports(c);
    ConsoleHttp.OnRefusal again = (ctx, s, r) -> show(c, exports, ctx, s, Optional.of(r));
    http.page(
        PATH, "GET /audit/trail", (ctx, s) -> show(c, exports, ctx, s, Optional.empty()), again);
    http.page(
        PATH + "/verify",
        "GET /audit/proof/inclusion",
        (ctx, s) -> verify(c, ctx, s),
        (ctx, s, r) ->
            c.templates()
                .answer(
                    ctx,
                    r.status(),
                    "audit-verify.jte",
                    new AuditRange.Outcome(false, "not verified: " + r.message(), List.of())));
    http.page(PATH + "/export", "GET /audit/export", exports::export, again);
    http.page(PATH + "/receipt.json", "GET /audit/export", exports::receipt, again);
  }

  static void show(
      Console c, AuditExports exports, Context ctx, Session s, Optional<Refusal> refusal) {
    Caller caller = s.caller();
    Frame frame = c.frame(s, "Audit replay", "audit");
    frame = refusal.map(frame::withRefusal).orElse(frame);
    // after a refusal the defaults, so that a refused field is never written back into the page
    AuditFilter filter = refusal.isPresent() ? AuditFilter.NONE : AuditFilter.of(ctx);
    ApiTable api = c.http().api();
    Page<Stored> stored =
        Scopes.allows(caller, api, "GET /audit/trail")
            ? c.core().trail().page(caller, filter.toTrailFilter())
            : new Page<>(List.of(), Optional.empty());
    Instant now = c.clock().instant();
    AuditPage model =
        new AuditPage(
            frame,
            filter,
            stored.items().stream().map(x -> row(x, now)).toList(),
            PageLinks.next(PATH, filter.params(), stored.nextCursor()),
            PageLinks.first(PATH, filter.params(), filter.cursor()),
            VaultUnder.checkpoint(c, caller),
            Scopes.allows(caller, api, "GET /audit/proof/inclusion"),
            Scopes.allows(caller, api, "GET /audit/export"),
            exports.latest(caller),
            exports.latest(caller).map(r -> Times.utc(r.at(), now)).orElse(""));
    c.templates().answer(ctx, refusal.map(Refusal::status).orElse(200), "audit.jte", model);
  }

  /** The fragment under the records: do the records of these filters verify? */
  private static void verify(Console c, Context ctx, Session s) {
    Scopes.require(s.caller(), c.http().api(), "GET /audit/trail");
    List<Stored> shown = c.core().trail().read(s.caller(), AuditFilter.of(ctx).toTrailFilter());
    c.templates()
        .answer(
            ctx,
            200,
            "audit-verify.jte",
            AuditRange.verify(c.core().checkpoints(), shown, c.clock().instant()));
  }

  private static AuditPage.Row row(Stored s, Instant now) {
    JsonNode r = JSON.readTree(s.record());
    String time = text(r, "time");
    Optional<Instant> at = time.isEmpty() ? Optional.empty() : Optional.of(Instant.parse(time));
    JsonNode p = r.get("policy");
    String policy =
        p == null || p.isNull()
            ? ""
            : text(p, "id") + " · v." + text(p, "version") + " · " + text(p, "rule");
    return new AuditPage.Row(
        AuditLog.ref(s.offset()),
        s.offset(),
        at.map(t -> Times.utc(t, now)).orElse(""),
        at.map(Times::iso).orElse(""),
        text(r, "type"),
        text(r, "actor"),
        text(r, "subject"),
        text(r, "secret_id"),
        text(r, "token_id"),
        text(r, "decision"),
        text(r, "reason"),
        policy,
        HeaderBand.shortHash(s.leafHash()));
  }

  private static String text(JsonNode r, String field) {
    JsonNode n = r.get(field);
    return n == null || n.isNull() ? "" : n.asString();
  }
}
