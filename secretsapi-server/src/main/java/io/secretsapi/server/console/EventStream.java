package io.secretsapi.server.console;

import io.javalin.http.Context;
import io.secretsapi.audit.AuditEvent;
import io.secretsapi.audit.AuditFeed;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The console's server-sent event stream: the loop of {@code GET /access/events} (EventRoutes),
 * with each event rendered as an HTML fragment for htmx's SSE extension instead of JSON.
 *
 * <p>Threads: the stream reads the broker's one {@link AuditFeed}, which never waits for a
 * consumer; a stream that falls behind the feed's ring is told so ({@code lagged}) and ends, and
 * the browser resumes from the store with {@code Last-Event-ID}. A gone browser is found at the
 * next write (a keepalive at least every {@link #KEEPALIVE_MS}); a stalled one blocks only its own
 * stream's thread, until the connector's idle timeout (Jetty's 30 s) fails the write. A session may
 * hold {@link #PER_SESSION} streams at once, so one operator's tabs cannot take the threads that
 * serve other requests.
 *
 * <p>Sessions: the stream looks every {@link #WAIT_MS} whether its session is still live (without
 * touching it: a stream is not activity), and ends with an {@code ended} event when it is not.
 */
final class EventStream {
  static final long KEEPALIVE_MS = 5_000;
  static final long WAIT_MS = 1_000;
  static final int PER_SESSION = 4;
  private static final int PAGE = 500;

  private final AuditFeed feed;
  private final ConcurrentHashMap<String, AtomicInteger> open = new ConcurrentHashMap<>();

  EventStream(AuditFeed feed) {
    this.feed = feed;
  }

  /**
   * Streams the events after {@code after} ({@code -1}: from now) that {@code wanted} lets through,
   * each as {@code render} makes it, while {@code live} holds. Answers 429 when the session holds
   * {@link #PER_SESSION} streams already.
   */
  void serve(
      Context ctx,
      String sessionKey,
      long after,
      Predicate<AuditEvent> wanted,
      Function<AuditEvent, String> render,
      BooleanSupplier live)
      throws IOException {
    AtomicInteger count = open.computeIfAbsent(sessionKey, k -> new AtomicInteger());
    if (count.incrementAndGet() > PER_SESSION) {
      release(sessionKey, count);
      ctx.status(429).contentType("text/plain; charset=utf-8");
      ctx.result("this session has " + PER_SESSION + " event streams open already");
      return;
    }
    try {
      ctx.status(200);
      ctx.contentType("text/event-stream; charset=utf-8");
      ctx.header("X-Accel-Buffering", "no");
      loop(ctx.res().getOutputStream(), after, wanted, render, live);
    } finally {
      release(sessionKey, count);
    }
  }

  private void release(String key, AtomicInteger count) {
    if (count.decrementAndGet() <= 0) {
      open.remove(key, count);
    }
  }

  private void loop(
      OutputStream out,
      long after,
      Predicate<AuditEvent> wanted,
      Function<AuditEvent, String> render,
      BooleanSupplier live)
      throws IOException {
    feed.listen();
    try {
      long cursor = after >= 0 ? after : feed.head();
      write(out, ": secretsapi console events\nretry: 2000\n\n");
      long lastWrite = System.currentTimeMillis();
      long told = cursor;
      boolean caughtUp = false;
      while (true) {
        if (!live.getAsBoolean()) {
          write(out, frame("ended", -1, ended()));
          return;
        }
        List<AuditEvent> batch;
        if (!caughtUp && cursor < feed.oldestLive() - 1) {
          batch = feed.page(cursor, PAGE);
        } else {
          caughtUp = true;
          try {
            batch = feed.next(cursor, PAGE, WAIT_MS);
          } catch (AuditFeed.LaggedException lagged) {
            // the browser reconnects after the retry delay and resumes from the store
            write(out, "id: " + lagged.cursor() + "\n: lagged behind the live buffer\n\n");
            return;
          }
        }
        StringBuilder chunk = new StringBuilder();
        for (AuditEvent e : batch) {
          cursor = e.offset();
          if (wanted.test(e)) {
            chunk.append(frame("line", e.offset(), render.apply(e)));
            told = cursor;
          }
        }
        long now = System.currentTimeMillis();
        if (chunk.length() == 0 && now - lastWrite >= KEEPALIVE_MS) {
          // an id alone moves the browser's Last-Event-ID past events the filter left out, and
          // the write finds a browser that went away
          chunk.append(told == cursor ? ": keepalive\n\n" : "id: " + cursor + "\n\n");
          told = cursor;
        }
        if (chunk.length() > 0) {
          write(out, chunk.toString());
          lastWrite = now;
        }
      }
    } catch (IOException gone) {
      // the browser went away; it resumes with Last-Event-ID
    } catch (InterruptedException stopping) {
      Thread.currentThread().interrupt();
    } finally {
      feed.unlisten();
    }
  }

  /** One event: {@code html} as data lines (a fragment may span lines). */
  static String frame(String event, long id, String html) {
    StringBuilder b = new StringBuilder();
    if (id >= 0) {
      b.append("id: ").append(id).append('\n');
    }
    b.append("event: ").append(event).append('\n');
    for (String line : html.replace("\r", "").split("\n", -1)) {
      b.append("data: ").append(line).append('\n');
    }
    return b.append('\n').toString();
  }

  private static String ended() {
    return "<p class=\"refusal\" role=\"alert\">The session ended: the stream stopped."
        + " <a href=\"/console/login\">Log in again</a></p>";
  }

  private static void write(OutputStream out, String s) throws IOException {
    out.write(s.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
