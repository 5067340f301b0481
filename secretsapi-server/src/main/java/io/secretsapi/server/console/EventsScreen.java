package io.secretsapi.server.console;

import io.javalin.http.Context;
import io.secretsapi.ValidationException;
import io.secretsapi.access.Caller;
import io.secretsapi.audit.AuditEvent;
import io.secretsapi.audit.AuditFeed;
import io.secretsapi.audit.AuditLog;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The live event stream (screen 3) at {@code /console/events}: the latest events the key may see,
 * then every new one as it is committed, through {@code /console/events/stream} (server-sent events
 * of HTML lines, for htmx's SSE extension). Both read what {@code GET /access/events} reads, with
 * its scope and its visibility rule, filtered by secret and principal; the stream resumes with
 * {@code Last-Event-ID} (the audit offset).
 */
final class EventsScreen {
  static final String PATH = "/console/events";
  static final String STREAM = PATH + "/stream";
  static final String ENDPOINT = "GET /access/events";

  /** How many of the newest events the page shows before the stream takes over. */
  static final int SHOWN = 50;

  /** How far back (in audit offsets) the page looks for them. */
  static final int SCAN = 2_000;

  private EventsScreen() {}

  static void register(Console c) {
    ConsoleHttp http = c.http();
    EventStream streams = new EventStream(c.core().feed());
    http.page(
        PATH,
        ENDPOINT,
        (ctx, s) -> show(c, ctx, s, Optional.empty()),
        (ctx, s, r) -> show(c, ctx, s, Optional.of(r)));
    http.page(
        STREAM, ENDPOINT, (ctx, s) -> stream(c, streams, ctx, s), EventsScreen::streamRefused);
  }

  /** The page; after a refusal unfiltered, so that a refused filter is not written back. */
  static void show(Console c, Context ctx, Session s, Optional<Refusal> refusal) {
    Caller caller = s.caller();
    EventFilter filter = refusal.isPresent() ? EventFilter.none() : EventFilter.of(ctx);
    AuditFeed feed = c.core().feed();
    long head = feed.head();
    Instant now = c.clock().instant();
    boolean traceable = Scopes.allows(caller, c.http().api(), TokensScreen.LINEAGE);
    List<EventLine> lines =
        latest(feed, head, filter.wanted(caller, c.core().vault())).stream()
            .map(e -> EventLine.of(e, now, traceable))
            .toList();
    Frame frame = c.frame(s, "Live event stream", "events");
    if (refusal.isPresent()) {
      frame = frame.withRefusal(refusal.get());
    }
    EventsPage page =
        new EventsPage(frame, filter, lines, filter.streamUrl(head), AuditLog.ref(head));
    c.templates().answer(ctx, refusal.map(Refusal::status).orElse(200), "events.jte", page);
  }

  /** The newest {@link #SHOWN} wanted events up to {@code head}, newest first. */
  private static List<AuditEvent> latest(AuditFeed feed, long head, Predicate<AuditEvent> wanted) {
    Deque<AuditEvent> kept = new ArrayDeque<>();
    long cursor = Math.max(0, head - SCAN);
    while (cursor < head) {
      List<AuditEvent> got = feed.page(cursor, 500);
      for (AuditEvent e : got) {
        if (e.offset() > head) {
          break;
        }
        cursor = e.offset();
        if (wanted.test(e)) {
          kept.addFirst(e);
          if (kept.size() > SHOWN) {
            kept.removeLast();
          }
        }
      }
      if (got.size() < 500) {
        break;
      }
    }
    return new ArrayList<>(kept);
  }

  private static void stream(Console c, EventStream streams, Context ctx, Session s)
      throws Exception {
    Caller caller = s.caller();
    EventFilter filter = EventFilter.of(ctx);
    long after = after(ctx);
    Predicate<AuditEvent> wanted = filter.wanted(caller, c.core().vault());
    boolean traceable = Scopes.allows(caller, c.http().api(), TokensScreen.LINEAGE);
    Optional<String> id = c.http().sessionId(ctx);
    streams.serve(
        ctx,
        s.csrf(),
        after,
        wanted,
        e ->
            c.templates().render("event-line.jte", EventLine.of(e, c.clock().instant(), traceable)),
        () -> id.map(c.sessions()::alive).orElse(false));
  }

  /** {@code Last-Event-ID} (a reconnection) first, then {@code after}; -1 for from now. */
  private static long after(Context ctx) {
    String v = ctx.header("Last-Event-ID");
    if (v == null || v.isBlank()) {
      v = ctx.queryParam("after");
    }
    if (v == null || v.isBlank()) {
      return -1;
    }
    try {
      long n = Long.parseLong(v.trim());
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ValidationException(
          "after", "offset", "after (or Last-Event-ID) must be an audit offset of 0 or more");
    }
  }

  /** A refused stream answers its status and a line of text: the browser shows no page for it. */
  private static void streamRefused(Context ctx, Session s, Refusal r) {
    ctx.status(r.status()).contentType("text/plain; charset=utf-8").result(r.message());
  }
}
