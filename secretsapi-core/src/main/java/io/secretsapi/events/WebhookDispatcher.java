package io.secretsapi.events;

import static java.util.Objects.requireNonNull;

import io.secretsapi.audit.AuditEvent;
import io.secretsapi.audit.AuditFeed;
import io.secretsapi.audit.AuditLog;
import io.secretsapi.secret.Vault;
import io.secretsapi.storage.Leadership;
import io.secretsapi.storage.NotLeaderException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers audit events to webhook subscriptions, in offset order per subscription, at least once.
 * Which events a subscription takes, {@link WebhookMatch} decides: those its filter selects, and
 * the rotation records naming an engine that names the subscription to notify.
 *
 * <p>Each delivery is a POST of {@code {"id", "event", "audit_ref", "record"}} signed as Stripe
 * signs its webhooks: header {@code SecretsAPI-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 over
 * "t.body" under the subscription's secret>}. A receiver recomputes it and refuses a stale {@code
 * t}. A failed attempt (no answer in 10 s, or not 2xx) is retried with exponential backoff (1 s
 * doubling to 5 min) up to {@link #MAX_ATTEMPTS}, then logged {@code failed} and skipped, so one
 * dead receiver never stalls the others. Every attempt is in the delivery log. Redirects are not
 * followed; the receiver's address is checked on every attempt. With several nodes, only the leader
 * delivers (each subscription's cursor is in the store, so a new leader goes on from it). It checks
 * that it still leads before each post, and moves a cursor only behind the leader's fence, so a
 * node whose term ended goes no further; a delivery in flight when the leader changes may arrive
 * twice, as "at least once" allows. The log of an attempt is written whoever leads: the post was
 * made.
 */
public final class WebhookDispatcher implements AutoCloseable {
  public static final int MAX_ATTEMPTS = 8;
  public static final String SIGNATURE_HEADER = "SecretsAPI-Signature";
  private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);

  private final Webhooks hooks;
  private final AuditFeed feed;
  private final Vault vault;
  private final Clock clock;
  private final Duration firstBackoff;
  private final WebhookTransport transport;
  private final Leadership leader;
  private final Map<String, Retry> retries = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean closed;

  private record Retry(long offset, int attempts, long notBefore) {}

  public WebhookDispatcher(
      Webhooks hooks,
      AuditFeed feed,
      Vault vault,
      Clock clock,
      Duration firstBackoff,
      WebhookTransport transport,
      Leadership leader) {
    this.transport = requireNonNull(transport, "transport");
    this.leader = requireNonNull(leader, "leader");
    this.hooks = requireNonNull(hooks, "hooks");
    this.feed = requireNonNull(feed, "feed");
    this.vault = requireNonNull(vault, "vault");
    this.clock = requireNonNull(clock, "clock");
    this.firstBackoff = requireNonNull(firstBackoff, "firstBackoff");
    this.thread = new Thread(this::loop, "secretsapi-webhooks");
    thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  private void loop() {
    while (!closed) {
      try {
        boolean busy = false;
        if (leader.leads()) { // one node delivers for all; the cursors are in the store
          for (Webhook w : hooks.active()) {
            busy |= deliver(w);
          }
        }
        if (!busy) {
          Thread.sleep(200);
        }
      } catch (InterruptedException e) {
        return;
      } catch (NotLeaderException e) {
        LOG.info("webhook deliveries stop here: {}", e.getMessage());
      } catch (RuntimeException e) {
        LOG.warn("webhook delivery pass failed: {}", e.getMessage());
        try {
          Thread.sleep(1000);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  /** Delivers what is due for {@code w}; answers true when there may be more right away. */
  boolean deliver(Webhook w) {
    Retry r = retries.get(w.id());
    if (r != null && clock.millis() < r.notBefore()) {
      return false;
    }
    List<AuditEvent> page = feed.page(w.cursor(), 100);
    long cursor = w.cursor();
    Optional<byte[]> secret = Optional.empty();
    Predicate<AuditEvent> wanted =
        new WebhookMatch(
            w,
            EventAccess.visibleTo(w.principal(), w.accountId(), w.admin(), vault),
            () -> hooks.notifiedFor(w.id()));
    for (AuditEvent e : page) {
      if (!wanted.test(e)) {
        cursor = e.offset();
        continue;
      }
      if (!leader.leads()) {
        break; // this node's term ended: the next leader goes on from the cursor
      }
      if (secret.isEmpty()) {
        secret = hooks.secret(w.id());
        if (secret.isEmpty()) {
          return false; // deleted meanwhile
        }
      }
      int attempt = r != null && r.offset() == e.offset() ? r.attempts() + 1 : 1;
      Outcome o = post(w, e, secret.get());
      if (o.ok()) {
        hooks.log(w.id(), e.offset(), attempt, "delivered", o.status(), null, o.millis());
        retries.remove(w.id());
        r = null;
        cursor = e.offset();
      } else if (attempt >= MAX_ATTEMPTS) {
        hooks.log(w.id(), e.offset(), attempt, "failed", o.status(), o.error(), o.millis());
        retries.remove(w.id());
        r = null;
        cursor = e.offset();
      } else {
        hooks.log(w.id(), e.offset(), attempt, "retrying", o.status(), o.error(), o.millis());
        long backoff =
            Math.min(firstBackoff.toMillis() << (attempt - 1), Duration.ofMinutes(5).toMillis());
        retries.put(w.id(), new Retry(e.offset(), attempt, clock.millis() + backoff));
        break;
      }
    }
    if (cursor != w.cursor()) {
      hooks.advance(leader, w.id(), w.cursor(), cursor);
    }
    return page.size() == 100 && !retries.containsKey(w.id());
  }

  private record Outcome(boolean ok, Integer status, String error, long millis) {}

  private Outcome post(Webhook w, AuditEvent e, byte[] secret) {
    long start = System.nanoTime();
    try {
      URI u = URI.create(w.url());
      String body =
          "{\"id\":"
              + e.offset()
              + ",\"event\":\""
              + e.family()
              + "\",\"audit_ref\":\""
              + AuditLog.ref(e.offset())
              + "\",\"record\":"
              + e.record()
              + "}";
      long t = clock.millis() / 1000;
      Map<String, String> headers = new java.util.LinkedHashMap<>();
      headers.put("Content-Type", "application/json");
      headers.put("User-Agent", "SecretsAPI-Webhooks/1");
      headers.put("SecretsAPI-Event-Id", String.valueOf(e.offset()));
      headers.put("SecretsAPI-Webhook-Id", w.id());
      headers.put(SIGNATURE_HEADER, "t=" + t + ",v1=" + sign(secret, t, body));
      int s = transport.post(u, headers, body);
      long ms = (System.nanoTime() - start) / 1_000_000;
      return s / 100 == 2
          ? new Outcome(true, s, null, ms)
          : new Outcome(false, s, "the receiver answered " + s, ms);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      return new Outcome(false, null, "interrupted", 0);
    } catch (java.io.IOException | RuntimeException ex) {
      return new Outcome(
          false,
          null,
          ex.getClass().getSimpleName() + ": " + String.valueOf(ex.getMessage()),
          (System.nanoTime() - start) / 1_000_000);
    }
  }

  /** The {@code v1} signature: hex HMAC-SHA256 of {@code t + "." + body} under {@code secret}. */
  public static String sign(byte[] secret, long t, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return HexFormat.of()
          .formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException ex) {
      throw new IllegalStateException("HmacSHA256 is missing from this JDK", ex);
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}
