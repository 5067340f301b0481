package io.secretsapi.server;

import static io.secretsapi.server.JsonSchema.array;
import static io.secretsapi.server.JsonSchema.integer;
import static io.secretsapi.server.JsonSchema.object;
import static io.secretsapi.server.JsonSchema.ref;

import io.javalin.http.Context;
import io.secretsapi.access.Caller;
import io.secretsapi.access.Scope;
import io.secretsapi.audit.AuditEvent;
import io.secretsapi.audit.AuditFeed;
import io.secretsapi.secret.Vault;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * {@code GET /access/events}: the audit trail as server-sent events, or as a JSON page when the
 * caller asks for JSON. Each event's id is its audit offset; {@code Last-Event-ID} (or {@code
 * after}) resumes right after it. A stream first catches up from the store, then follows the live
 * buffer; a consumer that falls behind the buffer gets a {@code lagged} event naming the offset to
 * resume after, and the stream ends. No consumer ever slows the broker.
 */
final class EventRoutes {
  static final long KEEPALIVE_MS = 15_000;
  private static final int PAGE = 500;

  private EventRoutes() {}

  static void register(Api api, AuditFeed feed, Vault vault) {
    api.route(
            "GET",
            "/access/events",
            Scope.EVENTS_READ,
            "Access, grant, refusal, rotation, revocation and policy events by secret_id, principal"
                + " or type, as server-sent events (id = audit offset; resume with Last-Event-ID),"
                + " or a page (after, limit) with Accept: application/json")
        .query("secret_id", JsonSchema.string(), "only events about this secret")
        .query("principal", JsonSchema.string(), "only events that involve this principal")
        .query(
            "type",
            JsonSchema.string(),
            "an event family (" + String.join(", ", AuditEvent.FAMILIES) + ") or a record type")
        .query("after", integer(), "resume after this audit offset (as Last-Event-ID does)")
        .query(
            "limit", integer(), "JSON page only: at most this many events, 1 to 1000 (default 100)")
        .header("Last-Event-ID", "the id of the last event received: the stream resumes after it")
        .answersWith(
            200,
            "text/event-stream",
            JsonSchema.string(
                "server-sent events: id is the audit offset, event the family, data the audit"
                    + " record as JSON; a lagged event names the offset to resume after"))
        .answersWith(
            200,
            "application/json",
            object().req("events", array(ref("Event"))).req("next_after", integer()).build())
        .example(null, Examples.eventsAnswer())
        .streaming()
        .handle(
            (ctx, caller) -> {
              Predicate<AuditEvent> wanted = filter(ctx, caller, vault);
              long after = after(ctx);
              if (wantsJson(ctx)) {
                page(ctx, feed, wanted, after);
              } else {
                stream(ctx, feed, wanted, after);
              }
            });
  }

  private static boolean wantsJson(Context ctx) {
    String accept = ctx.header("Accept");
    return accept != null
        && accept.contains("application/json")
        && !accept.contains("text/event-stream");
  }

  private static long after(Context ctx) {
    Optional<String> v = Bodies.query(ctx, "after").or(() -> Optional.ofNullable(lastEventId(ctx)));
    if (v.isEmpty()) {
      return -1;
    }
    try {
      long n = Long.parseLong(v.get().trim());
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new BadRequestException(
          "after", "offset", "after (or Last-Event-ID) must be an audit offset of 0 or more");
    }
  }

  private static String lastEventId(Context ctx) {
    return ctx.header("Last-Event-ID");
  }

  private static Predicate<AuditEvent> filter(Context ctx, Caller caller, Vault vault) {
    Optional<String> secret = Bodies.query(ctx, "secret_id");
    Optional<String> principal = Bodies.query(ctx, "principal");
    Optional<String> type = Bodies.query(ctx, "type");
    type.ifPresent(
        t -> {
          if (!AuditEvent.FAMILIES.contains(t) && !t.matches("[a-z-]+\\.[a-z-]+|request")) {
            throw new BadRequestException(
                "type",
                "enum",
                "type must be one of "
                    + String.join(", ", AuditEvent.FAMILIES)
                    + " or a record type");
          }
        });
    Predicate<AuditEvent> p = e -> true;
    if (secret.isPresent()) {
      p = p.and(e -> e.secretId().equals(secret));
    }
    if (principal.isPresent()) {
      p = p.and(e -> e.involves(principal.get()));
    }
    if (type.isPresent()) {
      p = p.and(e -> e.is(type.get()));
    }
    p =
        p.and(
            io.secretsapi.events.EventAccess.visibleTo(
                caller.principal(), caller.serviceAccountId(), caller.has(Scope.ADMIN), vault));
    return p;
  }

  private static void page(Context ctx, AuditFeed feed, Predicate<AuditEvent> wanted, long after) {
    int limit = Bodies.queryInt(ctx, "limit", 100);
    if (limit < 1 || limit > 1000) {
      throw new BadRequestException("limit", "range", "limit must be between 1 and 1000");
    }
    List<Map<String, Object>> events = new ArrayList<>();
    long cursor = Math.max(after, 0);
    long scanned = cursor;
    while (events.size() < limit) {
      List<AuditEvent> got = feed.page(scanned, PAGE);
      for (AuditEvent e : got) {
        scanned = e.offset();
        if (wanted.test(e)) {
          events.add(json(e));
          if (events.size() == limit) {
            break;
          }
        }
      }
      if (got.size() < PAGE) {
        break;
      }
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("events", events);
    body.put("next_after", scanned);
    ctx.json(body);
  }

  private static Map<String, Object> json(AuditEvent e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", e.offset());
    m.put("event", e.family());
    m.put("audit_ref", io.secretsapi.audit.AuditLog.ref(e.offset()));
    m.put("record", Server.JSON.readTree(e.record()));
    return m;
  }

  private static void stream(Context ctx, AuditFeed feed, Predicate<AuditEvent> wanted, long after)
      throws IOException {
    ctx.status(200);
    ctx.contentType("text/event-stream; charset=utf-8");
    ctx.header("X-Accel-Buffering", "no");
    OutputStream out = ctx.res().getOutputStream();
    feed.listen();
    try {
      long cursor = after >= 0 ? after : feed.head();
      out.write(": secretsapi events\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      long lastWrite = System.currentTimeMillis();
      boolean live = false;
      while (true) {
        List<AuditEvent> batch;
        if (!live && cursor < feed.oldestLive() - 1) {
          batch = feed.page(cursor, PAGE);
        } else {
          live = true;
          try {
            batch = feed.next(cursor, PAGE, KEEPALIVE_MS);
          } catch (AuditFeed.LaggedException lagged) {
            write(
                out,
                "event: lagged\ndata: {\"resume_after\":"
                    + lagged.cursor()
                    + ",\"detail\":\"the consumer fell behind the live buffer; reconnect with"
                    + " Last-Event-ID "
                    + lagged.cursor()
                    + "\"}\n\n");
            return;
          }
        }
        StringBuilder chunk = new StringBuilder();
        for (AuditEvent e : batch) {
          cursor = e.offset();
          if (wanted.test(e)) {
            chunk
                .append("id: ")
                .append(e.offset())
                .append("\nevent: ")
                .append(e.family())
                .append("\ndata: ")
                .append(e.record())
                .append("\n\n");
          }
        }
        long now = System.currentTimeMillis();
        if (chunk.length() == 0 && now - lastWrite >= KEEPALIVE_MS) {
          // A comment keeps proxies from closing an idle stream and finds a gone consumer.
          chunk.append(": keepalive ").append(cursor).append("\n\n");
        }
        if (chunk.length() > 0) {
          write(out, chunk.toString());
          lastWrite = now;
        }
      }
    } catch (IOException gone) {
      // the consumer went away; it resumes with Last-Event-ID
    } catch (InterruptedException stopping) {
      Thread.currentThread().interrupt(); // the broker is stopping; the consumer resumes elsewhere
    } finally {
      feed.unlisten();
    }
  }

  private static void write(OutputStream out, String s) throws IOException {
    out.write(s.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
