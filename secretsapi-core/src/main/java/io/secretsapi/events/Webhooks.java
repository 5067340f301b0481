package io.secretsapi.events;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.secretsapi.Ids;
import io.secretsapi.NotFoundException;
import io.secretsapi.ValidationException;
import io.secretsapi.access.Caller;
import io.secretsapi.access.Scope;
import io.secretsapi.audit.AuditEntry;
import io.secretsapi.audit.AuditEvent;
import io.secretsapi.audit.AuditLog;
import io.secretsapi.net.AddressGuard;
import io.secretsapi.secret.VaultKeys;
import io.secretsapi.storage.Database;
import io.secretsapi.storage.Leadership;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Webhook subscriptions: create (the signing secret is shown once), list, delete, and the delivery
 * log. {@link WebhookDispatcher} does the delivering.
 */
public final class Webhooks {
  static final String SECRET_PREFIX = "whsec_";
  private static final int MAX_PER_ACCOUNT = 25;

  private final Database db;
  private final VaultKeys keys;
  private final AuditLog audit;
  private final Clock clock;
  private final boolean allowInternal;
  private final Map<String, Counter> deliveries;
  private final Timer attempts;

  /** What a delivery attempt ends as: the only values of the {@code outcome} label. */
  static final List<String> OUTCOMES = List.of("delivered", "retrying", "failed");

  /** What {@code POST /webhooks} creates: the subscription and its signing secret, shown once. */
  public record Created(Webhook webhook, String secret) {
    @Override
    public String toString() {
      return "Created[" + webhook.id() + ", secret=<redacted>]";
    }
  }

  /**
   * @param allowInternal deliver to loopback and private addresses too (tests, local receivers)
   */
  public Webhooks(Database db, VaultKeys keys, AuditLog audit, Clock clock, boolean allowInternal) {
    this(db, keys, audit, clock, allowInternal, new CompositeMeterRegistry());
  }

  /**
   * @param allowInternal deliver to loopback and private addresses too (tests, local receivers)
   * @param registry where delivery attempts are counted by outcome ({@code
   *     secretsapi_webhook_deliveries_total}) and timed ({@code
   *     secretsapi_webhook_delivery_seconds})
   */
  public Webhooks(
      Database db,
      VaultKeys keys,
      AuditLog audit,
      Clock clock,
      boolean allowInternal,
      MeterRegistry registry) {
    Map<String, Counter> byOutcome = new java.util.HashMap<>();
    for (String o : OUTCOMES) {
      byOutcome.put(
          o,
          Counter.builder("secretsapi.webhook.deliveries")
              .description(
                  "Webhook delivery attempts by outcome: delivered, retrying (will be tried again),"
                      + " failed (gave up after the last attempt)")
              .tag("outcome", o)
              .register(registry));
    }
    this.deliveries = Map.copyOf(byOutcome);
    this.attempts =
        Timer.builder("secretsapi.webhook.delivery")
            .description("Webhook delivery attempts, from the POST to the receiver's answer")
            .register(registry);
    this.db = requireNonNull(db, "db");
    this.keys = requireNonNull(keys, "keys");
    this.audit = requireNonNull(audit, "audit");
    this.clock = requireNonNull(clock, "clock");
    this.allowInternal = allowInternal;
  }

  /** Subscribes {@code url} to {@code events} (families or record types) from now on. */
  public Created create(Caller caller, String url, List<String> events) {
    caller.require(Scope.EVENTS_READ);
    URI target = checkUrl(url);
    List<String> wanted = checkEvents(events);
    String id = Ids.random("whk_", 12);
    String secret =
        SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(Ids.randomBytes(32));
    Instant now = clock.instant();
    Webhook w =
        db.inTransaction(
            h -> {
              long mine =
                  h.createQuery("SELECT COUNT(*) FROM webhooks WHERE account_id = :a")
                      .bind("a", caller.serviceAccountId())
                      .mapTo(Long.class)
                      .one();
              if (mine >= MAX_PER_ACCOUNT) {
                throw new ValidationException(
                    "url", "limit", "an account may have at most " + MAX_PER_ACCOUNT + " webhooks");
              }
              long head =
                  h.createQuery("SELECT last_offset FROM audit_head WHERE id = 1")
                      .mapTo(Long.class)
                      .one();
              Webhook made =
                  new Webhook(
                      id,
                      caller.serviceAccountId(),
                      caller.principal(),
                      caller.has(Scope.ADMIN),
                      target.toString(),
                      wanted,
                      "active",
                      head,
                      now);
              h.createUpdate(
                      "INSERT INTO webhooks (id, account_id, principal, admin, url, events, status,"
                          + " cursor, created_at) VALUES (:id, :acct, :p, :admin, :url, :events,"
                          + " 'active', :cursor, :at)")
                  .bind("id", id)
                  .bind("acct", made.accountId())
                  .bind("p", made.principal())
                  .bind("admin", made.admin() ? 1 : 0)
                  .bind("url", made.url())
                  .bind("events", String.join(" ", wanted))
                  .bind("cursor", head)
                  .bind("at", now.toEpochMilli())
                  .execute();
              keys.store(h, keyName(id), secret.getBytes(StandardCharsets.UTF_8));
              audit.append(
                  h,
                  AuditEntry.of("webhook.create", caller.principal(), "done")
                      .subject(id)
                      .reason("deliver " + String.join(" ", wanted) + " to " + hostOf(target))
                      .build());
              return made;
            });
    return new Created(w, secret);
  }

  /** The caller's subscriptions (every one for {@code admin}). */
  public List<Webhook> list(Caller caller) {
    caller.require(Scope.EVENTS_READ);
    boolean all = caller.has(Scope.ADMIN);
    return db.read(
        h -> {
          var q =
              h.createQuery(
                  "SELECT * FROM webhooks"
                      + (all ? "" : " WHERE account_id = :a")
                      + " ORDER BY created_at, id");
          if (!all) {
            q.bind("a", caller.serviceAccountId());
          }
          return q.map((rs, c) -> row(rs)).list();
        });
  }

  /** One subscription the caller owns. */
  public Webhook get(Caller caller, String id) {
    caller.require(Scope.EVENTS_READ);
    return db.read(h -> visible(h, caller, id));
  }

  /** Deletes a subscription, its secret and its delivery log. */
  public void delete(Caller caller, String id) {
    caller.require(Scope.EVENTS_READ);
    db.inTransaction(
        h -> {
          visible(h, caller, id);
          h.createUpdate("DELETE FROM webhooks WHERE id = :id").bind("id", id).execute();
          h.createUpdate("UPDATE engines SET webhook_id = NULL WHERE webhook_id = :id")
              .bind("id", id)
              .execute();
          VaultKeys.drop(h, keyName(id));
          return audit.append(
              h,
              AuditEntry.of("webhook.delete", caller.principal(), "done")
                  .subject(id)
                  .reason("deleted")
                  .build());
        });
  }

  /** The newest delivery attempts of a subscription, newest first. */
  public List<WebhookDelivery> deliveries(Caller caller, String id, int limit) {
    caller.require(Scope.EVENTS_READ);
    if (limit < 1 || limit > 500) {
      throw new ValidationException("limit", "range", "limit must be between 1 and 500");
    }
    return db.read(
        h -> {
          visible(h, caller, id);
          return h.createQuery(
                  "SELECT * FROM webhook_deliveries WHERE webhook_id = :id ORDER BY id DESC"
                      + " LIMIT :n")
              .bind("id", id)
              .bind("n", limit)
              .map(
                  (rs, c) ->
                      new WebhookDelivery(
                          rs.getLong("id"),
                          rs.getString("webhook_id"),
                          rs.getLong("audit_offset"),
                          rs.getInt("attempt"),
                          rs.getString("outcome"),
                          Optional.ofNullable((Integer) rs.getObject("http_status", Integer.class)),
                          Optional.ofNullable(rs.getString("error")),
                          rs.getLong("duration_ms"),
                          Instant.ofEpochMilli(rs.getLong("at"))))
              .list();
        });
  }

  /** Every active subscription, for the dispatcher. */
  List<Webhook> active() {
    return db.read(
        h ->
            h.createQuery("SELECT * FROM webhooks WHERE status = 'active' ORDER BY id")
                .map((rs, c) -> row(rs))
                .list());
  }

  /** The engines that name {@code id} as the webhook to notify of their rotations. */
  java.util.Set<String> notifiedFor(String id) {
    return db.read(
        h ->
            java.util.Set.copyOf(
                h.createQuery("SELECT id FROM engines WHERE webhook_id = :w")
                    .bind("w", id)
                    .mapTo(String.class)
                    .list()));
  }

  /** The signing secret of {@code id}, while it exists. */
  Optional<byte[]> secret(String id) {
    return keys.find(keyName(id));
  }

  /**
   * Moves the cursor forward behind {@code leader}'s fence, unless another node already did (then
   * answers false).
   *
   * @throws io.secretsapi.storage.NotLeaderException when this node's term has ended
   */
  boolean advance(Leadership leader, String id, long from, long to) {
    return db.inTransaction(
            h -> {
              leader.fence(h);
              return h.createUpdate(
                      "UPDATE webhooks SET cursor = :to WHERE id = :id AND cursor = :from")
                  .bind("to", to)
                  .bind("id", id)
                  .bind("from", from)
                  .execute();
            })
        == 1;
  }

  void log(
      String id,
      long offset,
      int attempt,
      String outcome,
      Integer status,
      String error,
      long millis) {
    Counter c = deliveries.get(outcome);
    if (c != null) {
      c.increment();
    }
    attempts.record(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
    db.inTransaction(
        h ->
            h.createUpdate(
                    "INSERT INTO webhook_deliveries (webhook_id, audit_offset, attempt, outcome,"
                        + " http_status, error, duration_ms, at) VALUES (:w, :o, :a, :outcome, :s,"
                        + " :e, :d, :at)")
                .bind("w", id)
                .bind("o", offset)
                .bind("a", attempt)
                .bind("outcome", outcome)
                .bind("s", status)
                .bind("e", error)
                .bind("d", millis)
                .bind("at", clock.millis())
                .execute());
  }

  private URI checkUrl(String url) {
    if (url == null || url.isBlank()) {
      throw new ValidationException("url", "required", "url is required");
    }
    if (url.length() > 2048) {
      throw new ValidationException("url", "length", "url must be at most 2048 characters");
    }
    URI u;
    try {
      u = new URI(url);
    } catch (URISyntaxException e) {
      throw new ValidationException("url", "format", "url must be an absolute http(s) URL");
    }
    if (!"https".equals(u.getScheme()) && !"http".equals(u.getScheme()) || u.getHost() == null) {
      throw new ValidationException("url", "format", "url must be an absolute http(s) URL");
    }
    if (u.getRawUserInfo() != null) {
      throw new ValidationException(
          "url", "format", "url must not carry credentials; verify the signature instead");
    }
    if (u.getRawFragment() != null) {
      throw new ValidationException("url", "format", "url must not have a fragment");
    }
    try {
      AddressGuard.resolve(u.getHost(), allowInternal);
    } catch (AddressGuard.BlockedAddressException e) {
      throw new ValidationException("url", "public-address", "url host " + e.getMessage());
    }
    return u;
  }

  private static List<String> checkEvents(List<String> events) {
    if (events == null || events.isEmpty()) {
      throw new ValidationException(
          "events",
          "required",
          "events must list families (" + String.join(", ", AuditEvent.FAMILIES) + ") or types");
    }
    LinkedHashSet<String> out = new LinkedHashSet<>();
    for (int i = 0; i < events.size(); i++) {
      String e = events.get(i);
      if (e == null
          || !(AuditEvent.FAMILIES.contains(e) || e.matches("[a-z-]{1,32}\\.[a-z-]{1,32}"))) {
        throw new ValidationException(
            "events[" + i + "]",
            "enum",
            "each event must be a family ("
                + String.join(", ", AuditEvent.FAMILIES)
                + ") or a"
                + " record type such as token.issue");
      }
      out.add(e);
    }
    return new ArrayList<>(out);
  }

  private static Webhook visible(Handle h, Caller caller, String id) {
    Optional<Webhook> w =
        Ids.looksLike("whk_", id)
            ? h.createQuery("SELECT * FROM webhooks WHERE id = :id")
                .bind("id", id)
                .map((rs, c) -> row(rs))
                .findOne()
            : Optional.empty();
    if (w.isEmpty() || !caller.owns(w.get().accountId())) {
      throw new NotFoundException("webhook", id.length() > 40 ? "(malformed id)" : id);
    }
    return w.get();
  }

  private static Webhook row(ResultSet rs) throws SQLException {
    return new Webhook(
        rs.getString("id"),
        rs.getString("account_id"),
        rs.getString("principal"),
        rs.getInt("admin") == 1,
        rs.getString("url"),
        List.of(rs.getString("events").split(" ")),
        rs.getString("status"),
        rs.getLong("cursor"),
        Instant.ofEpochMilli(rs.getLong("created_at")));
  }

  private static String keyName(String id) {
    return "webhook:" + id;
  }

  private static String hostOf(URI u) {
    return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
  }
}
