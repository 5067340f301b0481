package io.secretsapi.rotation;

import static java.util.Objects.requireNonNull;

import io.secretsapi.ConflictException;
import io.secretsapi.Ids;
import io.secretsapi.ValidationException;
import io.secretsapi.access.Caller;
import io.secretsapi.access.Scope;
import io.secretsapi.audit.AuditEntry;
import io.secretsapi.audit.AuditLog;
import io.secretsapi.secret.CleartextSecrets;
import io.secretsapi.secret.Secret;
import io.secretsapi.secret.SecretNotFoundException;
import io.secretsapi.secret.Vault;
import io.secretsapi.storage.Database;
import io.secretsapi.storage.Leadership;
import io.secretsapi.storage.NotLeaderException;
import io.secretsapi.storage.Sql;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rotation engine: the {@code ROT-} queue, the per-secret rotation settings, and the leader's
 * work on both. Thread-safe.
 *
 * <p>How it works (design 0025). A rotation is a row of {@code rotations}; each move of its state
 * is one transaction, behind the leader's {@link Leadership#fence}, that re-checks the state it
 * moves from and writes the move's audit record ({@code rotation.<state>}, delivered to event
 * webhooks as the {@code rotation} family). The new value is stored as a {@code pending} version of
 * the secret, sealed like any other, and becomes current only in the promotion's transaction. So a
 * broker stopped at any instant leaves the old value current (before the promotion commits) or the
 * new one (after), and the next leader resumes from the stored state: making again what an
 * interrupted step made (each rotator's steps are safe to repeat), or failing cleanly.
 */
public final class RotationService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RotationService.class);
  private static final Duration RETRY = Duration.ofSeconds(30);
  private static final String ACTOR = "broker";

  private final Database db;
  private final Vault vault;
  private final CleartextSecrets cleartext;
  private final AuditLog audit;
  private final Leadership leader;
  private final Clock clock;
  private final boolean allowInternal;
  private final Map<String, Rotator> rotators;
  private volatile PendingProbe probe;
  private volatile Boundary boundary = (point, job) -> {};
  private final Thread thread;
  private volatile boolean closed;

  /** A point between two steps of a rotation, where a test stops the engine as a crash would. */
  @FunctionalInterface
  interface Boundary {
    void at(String point, RotationJob job);
  }

  /**
   * @param allowInternal let webhook rotators and validation endpoints resolve to loopback and
   *     private addresses (tests, local receivers)
   */
  public RotationService(
      Database db,
      Vault vault,
      CleartextSecrets cleartext,
      AuditLog audit,
      Leadership leader,
      Clock clock,
      boolean allowInternal) {
    this(db, vault, cleartext, audit, leader, clock, allowInternal, Duration.ofSeconds(1));
  }

  RotationService(
      Database db,
      Vault vault,
      CleartextSecrets cleartext,
      AuditLog audit,
      Leadership leader,
      Clock clock,
      boolean allowInternal,
      Duration webhookBackoff) {
    this.db = requireNonNull(db, "db");
    this.vault = requireNonNull(vault, "vault");
    this.cleartext = requireNonNull(cleartext, "cleartext");
    this.audit = requireNonNull(audit, "audit");
    this.leader = requireNonNull(leader, "leader");
    this.clock = requireNonNull(clock, "clock");
    this.allowInternal = allowInternal;
    this.probe = new EndpointProbe(allowInternal);
    this.rotators =
        Map.of(
            "generated", new GeneratedRotator(),
            "webhook", new WebhookRotator(this::signingSecret, clock, webhookBackoff),
            "postgresql", new PostgresRotator(cleartext::current));
    this.thread = new Thread(this::loop, "secretsapi-rotations");
    thread.setDaemon(true);
  }

  /** Uses {@code p} to probe pending values before promotion (the server's validation probe). */
  public void useProbe(PendingProbe p) {
    this.probe = requireNonNull(p, "p");
  }

  void onBoundary(Boundary b) {
    this.boundary = requireNonNull(b, "b");
  }

  // ---------------------------------------------------------------- settings

  /** Settings as set, with the webhook rotator's signing secret (only for that rotator). */
  public record Configured(RotationSettings settings, Optional<String> signingSecret) {
    @Override
    public String toString() {
      return "Configured[" + settings + ", signingSecret=<redacted>]";
    }
  }

  /**
   * Sets how a secret the caller owns is rotated. The PostgreSQL rotator's admin secret must be
   * another active secret the caller owns. Audited as {@code rotation.settings}.
   */
  public Configured configure(Caller caller, String secretId, RotationSettings.Input in) {
    requireNonNull(in, "in");
    Secret s = activeVisible(caller, secretId);
    String rotator = SettingsCheck.rotator(in.rotator());
    Duration grace = SettingsCheck.grace(in.grace());
    Duration every = SettingsCheck.every(in.every());
    Instant now = clock.instant();
    Optional<String> cron = Schedule.cron(in.cron(), now);
    if (cron.isPresent() && !every.isZero()) {
      throw new ValidationException("cron", "exclusive", "give every or cron, not both");
    }
    Duration timeout = SettingsCheck.timeout(in.timeout());
    int length = rotator.equals("generated") ? SettingsCheck.length(in.length()) : 0;
    String alphabet = rotator.equals("generated") ? SettingsCheck.alphabet(in.alphabet()) : "";
    if (!rotator.equals("generated")) {
      SettingsCheck.absent("length", in.length(), "generated");
      SettingsCheck.absent("alphabet", in.alphabet(), "generated");
    }
    Optional<String> webhook = SettingsCheck.webhookUrl(rotator, in.webhookUrl(), allowInternal);
    Optional<String> pgUrl = SettingsCheck.postgresUrl(rotator, in.postgresUrl());
    List<String> roles = SettingsCheck.postgresRoles(rotator, in.postgresRoles());
    Optional<String> admin = Optional.empty();
    if (rotator.equals("postgresql")) {
      String a = in.postgresAdminSecret();
      if (a == null) {
        throw new ValidationException(
            "postgres_admin_secret",
            "required",
            "postgres_admin_secret is required for the postgresql rotator");
      }
      if (a.equals(secretId)) {
        throw new ValidationException(
            "postgres_admin_secret",
            "other-secret",
            "postgres_admin_secret must be another secret than the one rotated");
      }
      try {
        activeVisible(caller, a);
      } catch (SecretNotFoundException e) {
        throw new ValidationException(
            "postgres_admin_secret", "exists", "postgres_admin_secret " + a + " not found");
      }
      admin = Optional.of(a);
    } else {
      SettingsCheck.absent("postgres_admin_secret", in.postgresAdminSecret(), "postgresql");
    }
    RotationSettings settings =
        new RotationSettings(
            secretId,
            rotator,
            grace,
            every,
            cron,
            Schedule.next(every, cron, now),
            length,
            alphabet,
            webhook,
            timeout,
            pgUrl,
            roles,
            admin,
            caller.principal(),
            now);
    db.inTransaction(
        h -> {
          RotationStore.saveSettings(h, settings);
          return audit.append(
              h,
              AuditEntry.of("rotation.settings", caller.principal(), "done")
                  .secret(secretId)
                  .environment(s.environment())
                  .reason(
                      "rotator "
                          + rotator
                          + ", grace "
                          + io.secretsapi.Durations.format(grace)
                          + ", "
                          + Schedule.describe(every, cron))
                  .build());
        });
    return new Configured(
        settings,
        rotator.equals("webhook") ? Optional.of(signingSecret(secretId)) : Optional.empty());
  }

  /** The rotation settings of a secret the caller may see; empty when none are set. */
  public Optional<RotationSettings> settings(Caller caller, String secretId) {
    vault.get(caller, secretId);
    return db.read(h -> RotationStore.settings(h, secretId));
  }

  /**
   * The key the webhook rotator signs its calls to {@code secretId}'s endpoint with: {@code rsec_}
   * and a random key kept sealed among the vault's own keys (re-wrapped by a KEK rotation).
   */
  String signingSecret(String secretId) {
    byte[] key = vault.keys().loadOrCreate("rotation-webhook:" + secretId);
    return "rsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(key);
  }

  // ---------------------------------------------------------------- the queue

  /**
   * Queues a rotation of a secret the caller owns. Idempotent: with the key of an earlier request
   * for the same secret, answers that rotation; and while a rotation of the secret is still making
   * its value, answers that one (one rotation at a time per secret). The caller needs {@code
   * secrets:write}.
   *
   * @param reason why, in words (no value: a reason that holds a stored value is refused)
   */
  public RotationJob queue(
      Caller caller,
      String secretId,
      Trigger trigger,
      String reason,
      Optional<String> idempotencyKey) {
    requireNonNull(caller, "caller");
    caller.require(Scope.SECRETS_WRITE);
    Secret s = activeVisible(caller, secretId);
    return enqueue(s, trigger, reason, idempotencyKey, caller.principal());
  }

  /**
   * Queues a rotation for the broker itself (an exposure threshold, an incident, the schedule): as
   * {@link #queue}, without a caller; the secret is named by id alone.
   */
  public RotationJob queueAsBroker(
      String secretId, Trigger trigger, String reason, Optional<String> idempotencyKey) {
    Secret s =
        vault
            .find(secretId)
            .filter(x -> x.status().equals("active"))
            .orElseThrow(() -> new SecretNotFoundException(String.valueOf(secretId)));
    return enqueue(s, trigger, reason, idempotencyKey, ACTOR);
  }

  /**
   * Queues a rotation for the broker inside the transaction {@code h} (an exposure crossing, so
   * that the crossing and its rotation commit together or not at all). Answers empty, queueing
   * nothing, when the secret is sealed or has no rotator (a {@code static} secret without rotation
   * settings): the caller records why.
   */
  public Optional<RotationJob> queueAsBroker(
      Handle h, String secretId, Trigger trigger, String reason, String idempotencyKey) {
    Optional<Secret> s = vault.find(h, secretId).filter(x -> x.status().equals("active"));
    if (s.isEmpty()) {
      return Optional.empty();
    }
    Optional<RotationSettings> set = RotationStore.settings(h, secretId);
    if (set.isEmpty() && !s.get().kind().equals("generated")) {
      return Optional.empty();
    }
    RotationJob fresh =
        fresh(
            s.get(),
            settingsOrDefault(s.get(), set),
            trigger,
            reason,
            Optional.of(idempotencyKey),
            ACTOR);
    return Optional.of(insertOrSame(h, fresh));
  }

  private RotationJob enqueue(
      Secret s, Trigger trigger, String reason, Optional<String> key, String by) {
    RotationJob fresh = fresh(s, settingsOrDefault(s), trigger, reason, key, by);
    try {
      return db.inTransaction(h -> insertOrSame(h, fresh));
    } catch (RuntimeException e) {
      if (key.isPresent() && Sql.isUniqueViolation(e)) { // the same key, at the same instant
        return db.read(h -> RotationStore.byKey(h, s.id(), key.get())).orElseThrow(() -> e);
      }
      throw e;
    }
  }

  /**
   * A rotation of {@code s} as it enters the queue. One triggered by an incident has no grace: the
   * value it replaces is the leaked one, which must not stay readable.
   */
  private RotationJob fresh(
      Secret s,
      RotationSettings settings,
      Trigger trigger,
      String reason,
      Optional<String> key,
      String by) {
    requireNonNull(trigger, "trigger");
    String why = checkReason(reason);
    key.ifPresent(RotationService::checkKey);
    Instant now = clock.instant();
    return new RotationJob(
        Ids.random("ROT-", 12),
        s.id(),
        s.accountId(),
        trigger,
        why,
        by,
        key,
        settings.rotator(),
        RotationState.QUEUED,
        Optional.empty(),
        Optional.empty(),
        trigger == Trigger.INCIDENT ? Duration.ZERO : settings.grace(),
        Optional.empty(),
        Optional.empty(),
        0,
        now,
        now,
        now);
  }

  /**
   * Inserts {@code fresh} unless the same idempotency key, or a rotation of the secret still making
   * its value, is already there: then answers that one.
   */
  private RotationJob insertOrSame(Handle h, RotationJob fresh) {
    String secretId = fresh.secretId();
    if (fresh.idempotencyKey().isPresent()) {
      Optional<RotationJob> same = RotationStore.byKey(h, secretId, fresh.idempotencyKey().get());
      if (same.isPresent()) {
        return same.get();
      }
    }
    Optional<RotationJob> running = RotationStore.inFlight(h, secretId);
    if (running.isPresent()) {
      return running.get();
    }
    RotationStore.insert(h, fresh);
    record(
        h,
        fresh,
        RotationState.QUEUED,
        fresh.requestedBy(),
        "queued by "
            + fresh.trigger().wire()
            + " ("
            + fresh.requestedBy()
            + "): "
            + fresh.reason());
    return fresh;
  }

  /** One rotation the caller may see. */
  public RotationJob get(Caller caller, String id) {
    requireNonNull(caller, "caller");
    if (!Ids.looksLike("ROT-", id)) {
      throw new RotationNotFoundException(String.valueOf(id).length() > 40 ? "(malformed id)" : id);
    }
    return db.read(h -> RotationStore.find(h, id))
        .filter(r -> caller.owns(r.accountId()))
        .orElseThrow(() -> new RotationNotFoundException(id));
  }

  /** The queue, newest first: of one secret and in one state when given; at most {@code limit}. */
  public List<RotationJob> list(
      Caller caller, Optional<String> secretId, Optional<RotationState> state, int limit) {
    requireNonNull(caller, "caller");
    if (limit < 1 || limit > 500) {
      throw new ValidationException("limit", "range", "limit must be between 1 and 500");
    }
    Optional<String> account =
        caller.has(Scope.ADMIN) ? Optional.empty() : Optional.of(caller.serviceAccountId());
    return db.read(h -> RotationStore.list(h, secretId, state, account, limit));
  }

  /**
   * How many rotations the caller may see are open (not yet {@code sealed} or {@code failed}), by
   * state: one grouped count, for the console's header band.
   */
  public Map<RotationState, Long> openCounts(Caller caller) {
    requireNonNull(caller, "caller");
    Optional<String> account =
        caller.has(Scope.ADMIN) ? Optional.empty() : Optional.of(caller.serviceAccountId());
    return db.read(h -> RotationStore.openCounts(h, account));
  }

  // ---------------------------------------------------------------- the leader's work

  /** Starts the leader's loop: every half second, the schedules and the rotations that are due. */
  public void start() {
    thread.start();
  }

  private void loop() {
    while (!closed) {
      try {
        if (leader.leads()) {
          runDue();
        }
        Thread.sleep(500);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (!closed) {
          LOG.warn("rotation pass failed: {}", e.getMessage());
        }
      }
    }
  }

  /**
   * Queues the scheduled rotations that are due, then moves every due rotation as far as it goes
   * (to {@code previous}, or to its end); answers how many rotations moved. Leader only: on another
   * node it does nothing.
   */
  public int runDue() {
    if (!leader.leads()) {
      return 0;
    }
    try {
      queueScheduled();
      int moved = 0;
      for (RotationJob j : db.read(h -> RotationStore.due(h, clock.instant(), 50))) {
        if (drive(j)) {
          moved++;
        }
      }
      return moved;
    } catch (NotLeaderException e) {
      LOG.info("rotations stop here: {}", e.getMessage());
      return 0;
    }
  }

  private void queueScheduled() {
    Instant now = clock.instant();
    for (RotationSettings s : db.read(h -> RotationStore.scheduleDue(h, now, 50))) {
      Instant due = s.nextDueAt().orElseThrow();
      try {
        // the key makes a retried or concurrent pass queue this period once
        queueAsBroker(
            s.secretId(),
            Trigger.SCHEDULE,
            "scheduled, " + Schedule.describe(s.every(), s.cron()),
            Optional.of("schedule:" + due.toEpochMilli()));
      } catch (SecretNotFoundException e) {
        // sealed: its schedule ends below
      }
      db.inTransaction(
          h -> {
            leader.fence(h);
            return RotationStore.advanceSchedule(
                h, s.secretId(), due, Schedule.next(s.every(), s.cron(), now).orElse(null));
          });
    }
  }

  /** Moves {@code j} until it waits (for its grace end, or a retry) or ends. */
  private boolean drive(RotationJob j) {
    boolean moved = false;
    RotationJob at = j;
    while (!at.state().finished() && !at.dueAt().isAfter(clock.instant())) {
      RotationJob before = at;
      try {
        step(at);
      } catch (NotLeaderException e) {
        throw e;
      } catch (ConflictException e) {
        return moved; // another pass moved it first
      } catch (RuntimeException e) {
        LOG.warn(
            "rotation {} ({}) will be retried: {}", at.id(), at.state().wire(), e.getMessage());
        String id = at.id();
        db.inTransaction(
            h -> {
              leader.fence(h);
              RotationStore.attempted(h, id, clock.instant().plus(RETRY));
              return null;
            });
        return moved;
      }
      at = db.read(h -> RotationStore.find(h, before.id())).orElseThrow();
      if (at.state() == before.state() && at.dueAt().equals(before.dueAt())) {
        return moved; // nothing more to do now
      }
      moved = true;
    }
    return moved;
  }

  private void step(RotationJob j) {
    switch (j.state()) {
      case QUEUED -> makePending(j);
      case PENDING -> validate(j);
      case VALIDATED -> promote(j);
      case PROMOTED -> enterGrace(j);
      case PREVIOUS -> sealPrevious(j);
      default -> {}
    }
  }

  private void makePending(RotationJob j) {
    Optional<Secret> s = vault.find(j.secretId()).filter(x -> x.status().equals("active"));
    if (s.isEmpty()) {
      fail(j, "the secret is sealed");
      return;
    }
    String value;
    try {
      Rotator.Context c = context(j, s.get(), settingsOrDefault(s.get()));
      value = rotators.get(j.rotator()).make(c);
    } catch (RotatorException | ValidationException e) {
      fail(j, e.getMessage());
      return;
    }
    boundary.at("made", j);
    int from = s.get().currentVersion();
    try {
      db.inTransaction(
          h -> {
            leader.fence(h);
            int to = vault.stagePending(h, j.secretId(), value, ACTOR);
            moveOrThrow(h, j, RotationState.PENDING, clock.instant());
            RotationStore.setVersions(h, j.id(), from, to);
            record(
                h,
                j,
                RotationState.PENDING,
                ACTOR,
                "version "
                    + to
                    + " made by the "
                    + j.rotator()
                    + " rotator; version "
                    + from
                    + " still current");
            return to;
          });
    } catch (ValidationException e) {
      fail(j, "the rotator's value was refused: " + e.getMessage());
      return;
    }
    boundary.at("pending", j);
  }

  private void validate(RotationJob j) {
    Optional<Secret> s = vault.find(j.secretId()).filter(x -> x.status().equals("active"));
    if (s.isEmpty()) {
      fail(j, "the secret is sealed");
      return;
    }
    int to = j.toVersion().orElseThrow();
    String pending;
    try {
      pending = cleartext.pending(j.secretId(), to);
    } catch (RuntimeException e) {
      fail(j, "the pending version " + to + " is gone (a manual rotation or a seal overtook it)");
      return;
    }
    Rotator.Context c = context(j, s.get(), settingsOrDefault(s.get()));
    try {
      rotators.get(j.rotator()).verify(c, pending);
    } catch (RotatorException e) {
      fail(j, "validation failed: " + e.getMessage());
      return;
    }
    Optional<String> probed = probe.check(s.get(), pending);
    if (probed.isPresent()) {
      fail(j, "validation failed: " + probed.get());
      return;
    }
    db.inTransaction(
        h -> {
          leader.fence(h);
          moveOrThrow(h, j, RotationState.VALIDATED, clock.instant());
          return record(
              h,
              j,
              RotationState.VALIDATED,
              ACTOR,
              "version "
                  + to
                  + " passed "
                  + (s.get().validationUrl().isPresent() ? "the validation probe" : "its checks"));
        });
    boundary.at("validated", j);
  }

  private void promote(RotationJob j) {
    int to = j.toVersion().orElseThrow();
    try {
      db.inTransaction(
          h -> {
            leader.fence(h);
            io.secretsapi.secret.Rotation r = vault.promote(h, j.secretId(), to, j.grace(), ACTOR);
            Instant now = clock.instant();
            for (RotationJob older : RotationStore.inGrace(h, j.secretId())) {
              // promote sealed its old value: a secret has at most one previous value
              RotationStore.move(
                  h, older.id(), RotationState.PREVIOUS, RotationState.SEALED, now, now);
              record(
                  h,
                  older,
                  RotationState.SEALED,
                  ACTOR,
                  "version "
                      + older.fromVersion().map(String::valueOf).orElse("?")
                      + " sealed before its grace end: "
                      + j.id()
                      + " promoted version "
                      + to);
            }
            Instant until = r.graceUntil().orElse(now);
            moveOrThrow(h, j, RotationState.PROMOTED, now);
            RotationStore.setGraceUntil(h, j.id(), until);
            return record(
                h,
                j,
                RotationState.PROMOTED,
                ACTOR,
                "version "
                    + to
                    + " current; version "
                    + r.previousVersion().orElse(0)
                    + (j.grace().isZero() ? " sealed at once" : " readable until " + until));
          });
    } catch (ConflictException | io.secretsapi.secret.SecretSealedException e) {
      fail(j, "not promoted: " + e.getMessage());
      return;
    }
    boundary.at("promoted", j);
  }

  private void enterGrace(RotationJob j) {
    Instant until = j.graceUntil().orElseThrow();
    db.inTransaction(
        h -> {
          leader.fence(h);
          Instant now = clock.instant();
          RotationStore.move(h, j.id(), RotationState.PROMOTED, RotationState.PREVIOUS, now, until);
          return record(
              h,
              j,
              RotationState.PREVIOUS,
              ACTOR,
              "version "
                  + j.fromVersion().orElse(0)
                  + " previous until "
                  + until
                  + "; version "
                  + j.toVersion().orElse(0)
                  + " current");
        });
    boundary.at("previous", j);
  }

  private void sealPrevious(RotationJob j) {
    Optional<Secret> s = vault.find(j.secretId());
    if (s.isPresent() && s.get().status().equals("active")) {
      // retired first: a rotator that cannot retire leaves the rotation to be tried again, and the
      // vault's copy is sealed at the grace end by the sealing job whatever happens here
      rotators.get(j.rotator()).retire(context(j, s.get(), settingsOrDefault(s.get())));
    }
    db.inTransaction(
        h -> {
          leader.fence(h);
          j.fromVersion().ifPresent(v -> vault.sealVersion(h, j.secretId(), v, ACTOR));
          Instant now = clock.instant();
          moveOrThrow(h, j, RotationState.SEALED, now);
          return record(
              h,
              j,
              RotationState.SEALED,
              ACTOR,
              "version "
                  + j.fromVersion().orElse(0)
                  + " sealed and retired at the end of its grace window");
        });
    boundary.at("sealed", j);
  }

  /** Ends {@code j} as failed: its pending version (if made) is sealed; the current one stays. */
  private void fail(RotationJob j, String why) {
    db.inTransaction(
        h -> {
          leader.fence(h);
          RotationJob now = RotationStore.find(h, j.id()).orElseThrow();
          if (!now.state().inFlight()) {
            return null; // moved on meanwhile
          }
          now.toVersion().ifPresent(v -> vault.sealVersion(h, j.secretId(), v, ACTOR));
          RotationStore.setFailure(h, j.id(), why);
          Instant t = clock.instant();
          RotationStore.move(h, j.id(), now.state(), RotationState.FAILED, t, t);
          record(
              h,
              j,
              RotationState.FAILED,
              ACTOR,
              why
                  + "; version "
                  + now.fromVersion().map(String::valueOf).orElse("current")
                  + " stays current");
          return null;
        });
    boundary.at("failed", j);
  }

  private void moveOrThrow(Handle h, RotationJob j, RotationState to, Instant now) {
    Instant due = to == RotationState.PREVIOUS ? j.graceUntil().orElse(now) : now;
    if (!RotationStore.move(h, j.id(), j.state(), to, now, due)) {
      throw new ConflictException(
          "state", "rotation " + j.id() + " is no longer " + j.state().wire());
    }
  }

  private long record(Handle h, RotationJob j, RotationState state, String actor, String what) {
    return audit.append(
        h,
        AuditEntry.of("rotation." + state.wire(), actor, "done")
            .subject(j.id())
            .secret(j.secretId())
            .reason(j.id() + " " + state.wire() + ": " + what)
            .build());
  }

  private Rotator.Context context(RotationJob j, Secret s, RotationSettings settings) {
    String current = j.rotator().equals("postgresql") ? cleartext.current(s.id()) : "";
    return new Rotator.Context(j, s, settings, current);
  }

  private RotationSettings settingsOrDefault(Secret s) {
    return settingsOrDefault(s, db.read(h -> RotationStore.settings(h, s.id())));
  }

  private RotationSettings settingsOrDefault(Secret s, Optional<RotationSettings> set) {
    if (set.isPresent()) {
      return set.get();
    }
    if (!s.kind().equals("generated")) {
      throw new ValidationException(
          "rotator",
          "required",
          "secret "
              + s.id()
              + " has no rotation settings; set its rotator with PUT /secrets/{id}/rotation");
    }
    return new RotationSettings(
        s.id(),
        "generated",
        SettingsCheck.DEFAULT_GRACE,
        Duration.ZERO,
        Optional.empty(),
        Optional.empty(),
        SettingsCheck.DEFAULT_LENGTH,
        "alnum",
        Optional.empty(),
        SettingsCheck.DEFAULT_TIMEOUT,
        Optional.empty(),
        List.of(),
        Optional.empty(),
        ACTOR,
        s.updatedAt());
  }

  private Secret activeVisible(Caller caller, String secretId) {
    Secret s = vault.get(caller, secretId);
    if (!s.status().equals("active")) {
      throw new io.secretsapi.secret.SecretSealedException(
          "secret " + secretId + " is sealed and cannot rotate");
    }
    return s;
  }

  private String checkReason(String reason) {
    String r = reason == null || reason.isBlank() ? "no reason given" : reason.strip();
    if (r.length() > 256) {
      throw new ValidationException(
          "reason", "max_length", "reason must be at most 256 characters");
    }
    if (audit.redactor().holdsSecret(r)) {
      throw new ValidationException(
          "reason", "no-secret", "reason must not hold a credential; describe it instead");
    }
    return r;
  }

  private static void checkKey(String key) {
    if (key.isEmpty() || key.length() > 128 || !key.chars().allMatch(c -> c > 32 && c < 127)) {
      throw new ValidationException(
          "idempotency_key",
          "format",
          "idempotency_key must be 1 to 128 printable ASCII characters without spaces");
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}
