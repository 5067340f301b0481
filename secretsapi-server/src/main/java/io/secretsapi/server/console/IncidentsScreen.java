package io.secretsapi.server.console;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.secretsapi.ValidationException;
import io.secretsapi.access.Caller;
import io.secretsapi.access.Scope;
import io.secretsapi.incident.Incident;
import io.secretsapi.incident.NewIncident;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Incidents at {@code /console/incidents}: the list of {@code GET /incidents}, one incident as
 * {@code GET /incidents/{id}} reads it ({@link IncidentView}), and the forms of {@code POST
 * /incidents} and {@code POST /incidents/{id}/close}, through {@link
 * io.secretsapi.incident.Incidents} with the session's caller. The replacement tokens that opening
 * returns are rendered into the answer to the form itself and kept nowhere: no redirect, no
 * session, no log; the incident's own page never shows them.
 */
final class IncidentsScreen {
  static final String PATH = "/console/incidents";
  static final String LIST = "GET /incidents";
  static final String ONE = "GET /incidents/{id}";
  static final String OPEN = "POST /incidents";
  static final String CLOSE = "POST /incidents/{id}/close";
  static final int PAGE = 50;

  private IncidentsScreen() {}

  static void register(Console c) {
    ConsoleHttp http = c.http();
    ConsoleHttp.OnRefusal again = (ctx, s, r) -> list(c, ctx, s, Optional.of(r));
    http.page(PATH, LIST, (ctx, s) -> list(c, ctx, s, Optional.empty()), again);
    http.page(
        PATH + "/{id}",
        ONE,
        (ctx, s) -> one(c, ctx, s, Optional.empty()),
        (ctx, s, r) -> oneOrList(c, ctx, s, r));
    http.action(PATH, OPEN, (ctx, s) -> open(c, ctx, s), again);
    http.action(
        PATH + "/{id}/close",
        CLOSE,
        (ctx, s) -> close(c, ctx, s),
        (ctx, s, r) -> oneOrList(c, ctx, s, r));
  }

  static void list(Console c, Context ctx, Session s, Optional<Refusal> refusal) {
    Caller caller = s.caller();
    // after a refusal no filter, so that a refused field is never written back into the page
    String state = refusal.isPresent() ? "" : QueryParams.text(ctx, "state");
    List<Incident> found =
        Scopes.allows(caller, c.http().api(), LIST)
            ? c.core().incidents().list(caller, opt(state), PAGE)
            : List.of();
    Instant now = c.clock().instant();
    long open = found.stream().filter(i -> i.state().equals("open")).count();
    Frame frame = c.frame(s, "Incidents", "incidents");
    IncidentsPage page =
        new IncidentsPage(
            refusal.map(frame::withRefusal).orElse(frame),
            state,
            found.stream().map(i -> row(i, now)).toList(),
            "showing " + found.size() + " · " + open + " open",
            canContain(c, caller));
    c.templates().answer(ctx, refusal.map(Refusal::status).orElse(200), "incidents.jte", page);
  }

  static void one(Console c, Context ctx, Session s, Optional<Refusal> refusal) {
    Incident in = c.core().incidents().get(s.caller(), ctx.pathParam("id"));
    Frame frame = c.frame(s, "Incident " + in.id(), "incidents");
    if (refusal.isPresent()) {
      frame = frame.withRefusal(refusal.get());
    } else if (ctx.queryParam("closed") != null && in.state().equals("closed")) {
      frame =
          frame.withNotice("closed " + in.id() + " · the block on " + in.secretId() + " lifted");
    }
    IncidentPage page = IncidentView.of(c, s.caller(), in, frame, canContain(c, s.caller()));
    c.templates().answer(ctx, refusal.map(Refusal::status).orElse(200), "incident.jte", page);
  }

  /** After a refusal: the incident with the refusal, else (no such incident, say) the list. */
  private static void oneOrList(Console c, Context ctx, Session s, Refusal r) {
    try {
      one(c, ctx, s, Optional.of(r));
    } catch (RuntimeException unreadable) {
      list(c, ctx, s, Optional.of(r));
    }
  }

  /**
   * Opens an incident on the form's {@code secret_id} or {@code token_id} and answers its page with
   * the replacement tokens, this once (201, as the API answers).
   */
  static void open(Console c, Context ctx, Session s) {
    String secretId = field(ctx, "secret_id");
    String tokenId = field(ctx, "token_id");
    if (secretId.isEmpty() && tokenId.isEmpty()) {
      throw new ValidationException(
          "secret_id", "required", "give the compromised secret_id, or a token_id of it");
    }
    if (!secretId.isEmpty() && !tokenId.isEmpty()) {
      throw new ValidationException(
          "token_id", "one_target", "give a secret_id or a token_id, not both");
    }
    Incident in =
        c.core()
            .incidents()
            .open(
                s.caller(),
                new NewIncident(
                    secretId.isEmpty() ? null : secretId,
                    tokenId.isEmpty() ? null : tokenId,
                    field(ctx, "reason")),
                Optional.of(c.http().api().requestId(ctx)));
    Frame frame =
        c.frame(s, "Incident " + in.id(), "incidents")
            .withNotice("opened " + in.id() + " on " + in.secretId() + " · containment active");
    IncidentPage page = IncidentView.of(c, s.caller(), in, frame, canContain(c, s.caller()));
    c.templates().answer(ctx, 201, "incident.jte", page);
  }

  static void close(Console c, Context ctx, Session s) {
    Incident in =
        c.core()
            .incidents()
            .close(
                s.caller(),
                ctx.pathParam("id"),
                field(ctx, "note"),
                Optional.of(c.http().api().requestId(ctx)));
    ctx.redirect(
        PATH + "/" + URLEncoder.encode(in.id(), StandardCharsets.UTF_8) + "?closed=1",
        HttpStatus.SEE_OTHER);
  }

  /** Opening and closing need both scopes, as {@code Incidents} checks. */
  static boolean canContain(Console c, Caller caller) {
    return Scopes.allows(caller, c.http().api(), OPEN) && caller.has(Scope.POLICIES_WRITE);
  }

  private static IncidentsPage.Row row(Incident i, Instant now) {
    return new IncidentsPage.Row(
        i.id(),
        i.secretId(),
        i.state(),
        i.containment(),
        i.reason(),
        i.openedBy(),
        Times.utc(i.openedAt(), now),
        Times.iso(i.openedAt()),
        i.closedAt().map(t -> Times.utc(t, now)).orElse(""),
        i.closedAt().map(Times::iso).orElse(""));
  }

  private static String field(Context ctx, String name) {
    String v = ctx.formParam(name);
    return v == null ? "" : v.trim();
  }

  private static Optional<String> opt(String s) {
    return s.isEmpty() ? Optional.empty() : Optional.of(s);
  }
}
