package io.secretsapi.secret;

import static java.util.Objects.requireNonNull;

import io.secretsapi.ConflictException;
import io.secretsapi.Ids;
import io.secretsapi.Inputs;
import io.secretsapi.ValidationException;
import io.secretsapi.access.Caller;
import io.secretsapi.access.Scope;
import io.secretsapi.audit.AuditEntry;
import io.secretsapi.audit.AuditLog;
import io.secretsapi.crypto.Envelope;
import io.secretsapi.crypto.SealedValue;
import io.secretsapi.proxy.Injection;
import io.secretsapi.storage.ChangeFeed;
import io.secretsapi.storage.Database;
import io.secretsapi.storage.Dialect;
import io.secretsapi.storage.Sql;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * The vault: stores secrets sealed, lists and shows them masked, versions and rotates their values,
 * and seals them for good.
 *
 * <p>Ownership: a secret belongs to the service account that stored it; other accounts see it as
 * not found unless their key holds {@code admin}. Every change is one transaction. Reading a value
 * back is not here but in {@link CleartextSecrets}. Thread-safe.
 */
public final class Vault {
  /** How long a previous version stays readable after a rotation, unless the request says. */
  public static final Duration DEFAULT_GRACE = Duration.ofHours(1);

  private static final Duration MAX_GRACE = Duration.ofDays(30);

  private final Database db;
  private final Envelope envelope;
  private final Clock clock;
  private final StoredValues stored;
  private final VaultKeys keys;
  private final AuditLog audit;
  private final java.util.List<SealListener> sealListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Told, inside the sealing transaction, that a secret was sealed for good. */
  @FunctionalInterface
  public interface SealListener {
    void sealed(Handle h, String secretId, Instant at);
  }

  public Vault(Database db, Envelope envelope, Clock clock, AuditLog audit) {
    this.db = requireNonNull(db, "db");
    this.envelope = requireNonNull(envelope, "envelope");
    this.clock = requireNonNull(clock, "clock");
    this.audit = requireNonNull(audit, "audit");
    this.keys = new VaultKeys(db, envelope, clock);
    this.stored = new StoredValues(db, new Masking(keys.loadOrCreate("fingerprint")));
  }

  /** True when {@code candidate} is exactly the value of a stored, unsealed secret version. */
  public boolean isStoredValue(String candidate) {
    return stored.contains(candidate);
  }

  /** A number that changes whenever the set of values {@link #isStoredValue} knows does. */
  public long storedValuesGeneration() {
    return stored.generation();
  }

  /** The broker's own keys, sealed in the store beside the secrets. */
  public VaultKeys keys() {
    return keys;
  }

  /** Reloads the fingerprints of every unsealed version (the periodic job calls it). */
  public void refreshFingerprints() {
    stored.refresh();
  }

  /**
   * Learns the fingerprints of a secret's values stored by another node (or, with no id, reloads
   * every one), so that the audit trail recognises them at once.
   */
  public void learnFingerprints(Optional<String> secretId) {
    secretId.ifPresentOrElse(stored::learn, stored::refresh);
  }

  /** Stores a new secret; its first value becomes version 1. */
  public Secret create(Caller caller, NewSecret in) {
    requireNonNull(caller, "caller");
    requireNonNull(in, "in");
    String kind = in.kind() == null ? "static" : in.kind();
    if (!kind.equals("static") && !kind.equals("generated")) {
      throw new ValidationException("kind", "enum", "kind must be static or generated");
    }
    String name = Inputs.name("name", in.name(), 128);
    String provider = Inputs.slug("provider", in.provider(), 64);
    String resourceClass = Inputs.slug("resource_class", in.resourceClass(), 64);
    String environment = Inputs.slug("environment", in.environment(), 64);
    String owner = Inputs.text("owner", in.owner(), 128);
    List<String> tags = SecretInputs.tags(in.tags());
    String value = SecretInputs.value(kind, in.value());
    Injection injection = in.injection() == null ? null : Injection.of(in.injection());
    Instant now = clock.instant();
    String id = Ids.random("sec_", 12);
    Secret draft =
        new Secret(
            id,
            caller.serviceAccountId(),
            name,
            provider,
            resourceClass,
            environment,
            owner,
            tags,
            kind,
            "active",
            1,
            "",
            "",
            injection,
            Optional.empty(),
            now,
            now,
            Optional.empty());
    try {
      return db.inTransaction(
          h -> {
            SecretStore.insertSecret(h, draft);
            insertVersion(h, id, 1, value, now);
            record(h, "secret.create", caller, id, environment, "version 1 stored");
            return SecretStore.find(h, id).orElseThrow();
          });
    } catch (RuntimeException e) {
      if (Sql.isUniqueViolation(e)) {
        throw new ConflictException(
            "name", "a secret named " + name + " already exists in environment " + environment);
      }
      throw e;
    }
  }

  /** Registers a listener for sealed secrets, such as the revocation of their tokens. */
  public void onSeal(SealListener listener) {
    sealListeners.add(requireNonNull(listener, "listener"));
  }

  /**
   * The masked view of a secret regardless of owner, for the policy gate: using a secret is decided
   * by policy, not by ownership.
   */
  public Optional<Secret> find(String id) {
    if (!Ids.looksLike("sec_", id)) {
      return Optional.empty();
    }
    return db.read(h -> SecretStore.find(h, id));
  }

  /** As {@link #find(String)}, inside the transaction {@code h}. */
  public Optional<Secret> find(Handle h, String id) {
    return Ids.looksLike("sec_", id) ? SecretStore.find(h, id) : Optional.empty();
  }

  /** The masked view of one secret. */
  public Secret get(Caller caller, String id) {
    return db.read(h -> visible(h, caller, id));
  }

  /**
   * A page of the secrets the caller may see, with a count that stops at {@link
   * SecretPage#COUNT_CAP} and the cursor of the next page (design 0023).
   */
  public SecretPage list(Caller caller, SecretFilter filter) {
    requireNonNull(filter, "filter");
    if (filter.limit() < 1 || filter.limit() > 500) {
      throw new ValidationException("limit", "range", "limit must be between 1 and 500");
    }
    if (filter.offset() < 0) {
      throw new ValidationException("offset", "range", "offset must not be negative");
    }
    if (!Set.of("last_access", "name", "created").contains(filter.sort())) {
      throw new ValidationException("sort", "enum", "sort must be last_access, name or created");
    }
    if (!Set.of("active", "sealed").contains(filter.status())) {
      throw new ValidationException("status", "enum", "status must be active or sealed");
    }
    Optional<String> account =
        caller.has(Scope.ADMIN) ? Optional.empty() : Optional.of(caller.serviceAccountId());
    if (filter.offset() > 0 && filter.cursor().isPresent()) {
      throw new ValidationException(
          "cursor", "exclusive", "cursor and offset cannot be combined; follow next_cursor alone");
    }
    return db.read(h -> SecretListing.page(h, account, filter, db.dialect()));
  }

  /** Every version of a secret, newest first, without values. */
  public List<SecretVersion> versions(Caller caller, String id) {
    Instant now = clock.instant();
    return db.read(
        h -> {
          visible(h, caller, id);
          return SecretStore.versions(h, id, now);
        });
  }

  /**
   * Replaces the value at once: the new value becomes current and the old one is sealed immediately
   * (for correcting a wrong value). Use {@link #rotate} to keep the old value readable for a grace
   * window.
   */
  public Secret putValue(Caller caller, String id, String value) {
    return db.inTransaction(
        h -> {
          Secret s = activeForUpdate(h, caller, id);
          String v = SecretInputs.value("static", value);
          Instant now = clock.instant();
          int next = SecretStore.maxVersion(h, id) + 1;
          insertVersion(h, id, next, v, now);
          SecretStore.setCurrent(h, id, next, now);
          SecretStore.sealAllExcept(h, id, next, now);
          record(
              h,
              "secret.update",
              caller,
              id,
              s.environment(),
              "version " + next + " stored; earlier versions sealed");
          return SecretStore.find(h, id).orElseThrow();
        });
  }

  /**
   * Rotates the value: a new current version (given, or generated for a {@code generated} secret);
   * the old one becomes {@code previous} until {@code grace} ends, then sealed. A version already
   * in grace is sealed at once: at most one previous value is readable.
   */
  public Rotation rotate(
      Caller caller, String id, Optional<String> value, Optional<Duration> grace) {
    Duration g = grace.orElse(DEFAULT_GRACE);
    if (g.isNegative() || g.compareTo(MAX_GRACE) > 0) {
      throw new ValidationException("grace", "range", "grace must be between 0s and 30d");
    }
    return db.inTransaction(
        h -> {
          Secret s = activeForUpdate(h, caller, id);
          if (s.kind().equals("static") && value.isEmpty()) {
            throw new ValidationException(
                "value",
                "required",
                "value is required to rotate a static secret; only generated secrets make their own");
          }
          String v = SecretInputs.value(s.kind(), value.orElse(null));
          Instant now = clock.instant();
          int old = s.currentVersion();
          int next = SecretStore.maxVersion(h, id) + 1;
          SecretStore.sealAllExcept(h, id, old, now);
          insertVersion(h, id, next, v, now);
          SecretStore.setCurrent(h, id, next, now);
          Optional<Instant> until = Optional.empty();
          if (g.isZero()) {
            SecretStore.sealAllExcept(h, id, next, now);
          } else {
            until = Optional.of(now.plus(g));
            SecretStore.demote(h, id, old, until.get());
          }
          Secret after = SecretStore.find(h, id).orElseThrow();
          record(
              h,
              "secret.rotate",
              caller,
              id,
              s.environment(),
              "version "
                  + old
                  + " -> "
                  + next
                  + until.map(u -> "; version " + old + " readable until " + u).orElse(""));
          return new Rotation(after, next, Optional.of(old), until);
        });
  }

  /**
   * Stores {@code value} as a new {@code pending} version of an active secret, on the rotation
   * engine's transaction {@code h}: sealed like any version, recognised by the audit trail's
   * redactor, and served by nothing until {@link #promote} makes it current.
   *
   * @return the pending version's number
   */
  public int stagePending(Handle h, String secretId, String value, String actor) {
    Secret s = activeForUpdate(h, secretId);
    String v = SecretInputs.value("static", value);
    Instant now = clock.instant();
    int next = SecretStore.maxVersion(h, secretId) + 1;
    SealedValue sealed = envelope.seal(secretId, next, v.getBytes(StandardCharsets.UTF_8));
    SecretStore.insertVersion(
        h, secretId, next, "pending", sealed, Masking.mask(v), stored.add(v), now);
    record(h, "secret.stage", actor, secretId, s.environment(), "version " + next + " pending");
    return next;
  }

  /**
   * Makes the pending {@code version} current, on the rotation engine's transaction {@code h}: the
   * old current version stays {@code previous} for {@code grace} (sealed at once when zero), and a
   * version still in an earlier grace window is sealed, as {@link #rotate} does.
   *
   * @throws ConflictException when {@code version} is no longer pending (a manual rotation or a
   *     seal overtook it)
   */
  public Rotation promote(Handle h, String secretId, int version, Duration grace, String actor) {
    Secret s = activeForUpdate(h, secretId);
    if (!SecretStore.isPending(h, secretId, version)) {
      throw new ConflictException(
          "version", "version " + version + " of secret " + secretId + " is no longer pending");
    }
    Instant now = clock.instant();
    int old = s.currentVersion();
    SecretStore.sealAllExcept(h, secretId, old, version, now);
    SecretStore.markCurrent(h, secretId, version);
    SecretStore.setCurrent(h, secretId, version, now);
    Optional<Instant> until = Optional.empty();
    if (grace.isZero()) {
      SecretStore.sealAllExcept(h, secretId, version, version, now);
    } else {
      until = Optional.of(now.plus(grace));
      SecretStore.demote(h, secretId, old, until.get());
    }
    Optional<Instant> u = until;
    record(
        h,
        "secret.rotate",
        actor,
        secretId,
        s.environment(),
        "version "
            + old
            + " -> "
            + version
            + u.map(t -> "; version " + old + " readable until " + t).orElse(""));
    return new Rotation(SecretStore.find(h, secretId).orElseThrow(), version, Optional.of(old), u);
  }

  /**
   * Seals one version of a secret, on the rotation engine's transaction {@code h}: a pending
   * version that failed, or a previous one at the end of its grace window. Never the current one.
   *
   * @return false when it was sealed already (or is current, or absent)
   */
  public boolean sealVersion(Handle h, String secretId, int version, String actor) {
    Optional<Secret> s = SecretStore.find(h, secretId);
    if (s.isEmpty() || s.get().currentVersion() == version) {
      return false;
    }
    int n = SecretStore.sealOne(h, secretId, version, clock.instant());
    if (n > 0) {
      record(
          h,
          "secret.seal",
          actor,
          secretId,
          s.get().environment(),
          "version " + version + " sealed");
    }
    return n > 0;
  }

  /**
   * Sets where the proxy and validation probes put the secret's value: {@code spec}, or the
   * provider's preset when empty. Takes effect with the next call granted.
   */
  public Secret setInjection(Caller caller, String id, Optional<Injection.Spec> spec) {
    Injection next = spec.map(Injection::of).orElse(null);
    return db.inTransaction(
        h -> {
          Secret s = activeForUpdate(h, caller, id);
          SecretStore.setInjection(h, id, next, clock.instant());
          Secret after = SecretStore.find(h, id).orElseThrow();
          record(
              h,
              "secret.injection",
              caller,
              id,
              s.environment(),
              "injected as "
                  + after.injection()
                  + " ("
                  + after.injection().source()
                  + "), was "
                  + s.injection());
          return after;
        });
  }

  /**
   * Sets where validation probes the provider with the secret's value ({@code url}, an absolute
   * https URL, or http for hosts the operator lets the proxy reach in clear), or back to the
   * provider's preset when empty. This is the only way a probe's destination is chosen: the route
   * needs {@code secrets:write}, and a caller who may only read the secret cannot send its value
   * anywhere.
   */
  public Secret setValidationEndpoint(Caller caller, String id, Optional<String> url) {
    Optional<String> checked = url.map(u -> ValidationEndpoint.check("url", u));
    return db.inTransaction(
        h -> {
          Secret s = activeForUpdate(h, caller, id);
          SecretStore.setValidationUrl(h, id, checked, clock.instant());
          record(
              h,
              "secret.validation_endpoint",
              caller,
              id,
              s.environment(),
              checked
                  .map(u -> "validation probes go to " + ValidationEndpoint.origin(u))
                  .orElse("validation probes go to the provider's preset"));
          return SecretStore.find(h, id).orElseThrow();
        });
  }

  /** Seals every version and the secret itself: nothing can read it again. Idempotent. */
  public Secret delete(Caller caller, String id) {
    return db.inTransaction(
        h -> {
          Secret s = visibleForUpdate(h, caller, id);
          Instant now = clock.instant();
          SecretStore.sealAllExcept(h, id, -1, now);
          if (s.status().equals("active")) {
            SecretStore.markSealed(h, id, now);
            for (SealListener l : sealListeners) {
              l.sealed(h, id, now);
            }
          }
          record(h, "secret.delete", caller, id, s.environment(), "every version sealed");
          return SecretStore.find(h, id).orElseThrow();
        });
  }

  /** Seals previous versions whose grace window has ended; returns how many. */
  public int sealExpired() {
    Instant now = clock.instant();
    return db.inTransaction(
        h -> {
          int n = SecretStore.sealExpired(h, now);
          if (n > 0) {
            audit.append(
                h,
                AuditEntry.of("secret.seal", "broker", "done")
                    .reason(n + " version(s) sealed at the end of their grace window")
                    .build());
          }
          return n;
        });
  }

  /**
   * A key-encryption key id that wraps something in the store and is not one of {@code held}, as
   * after another node rotated the KEK; empty when {@code held} opens everything.
   */
  public Optional<Long> kekIdNotIn(List<Long> held) {
    return db.read(h -> SecretStore.kekIdNotIn(h, held));
  }

  /**
   * Rotates the key-encryption key while the broker runs: adds a new primary key (written to the
   * key file first), re-wraps every data key under it in small transactions, and then drops the old
   * keys. A crash at any point leaves a key file that opens every stored data key.
   */
  public KekRotationResult rotateKek() {
    // one at a time: a second rotation would add its own primary while the first re-wraps, and
    // the first would then drop the key it had just wrapped data keys under (found by two
    // concurrent POST /admin/kek/rotate: data keys failed authentication)
    if (!kekRotation.tryLock()) {
      throw new io.secretsapi.ConflictException(
          "kek", "running", "a KEK rotation is already running on this node; wait for it to end");
    }
    try {
      return new KekRotation(db, envelope, keys, audit).run();
    } finally {
      kekRotation.unlock();
    }
  }

  private final java.util.concurrent.locks.ReentrantLock kekRotation =
      new java.util.concurrent.locks.ReentrantLock();

  /**
   * Records a change to secret {@code id} in the audit trail, and announces it to the other nodes
   * (their caches of the secret, and the fingerprints of its values). Every change goes through
   * here.
   */
  private void record(
      Handle h, String type, Caller caller, String id, String environment, String reason) {
    record(h, type, caller.principal(), id, environment, reason);
  }

  private void record(
      Handle h, String type, String actor, String id, String environment, String reason) {
    ChangeFeed.announce(h, db.dialect(), ChangeFeed.Topic.SECRETS, id);
    audit.append(
        h,
        AuditEntry.of(type, actor, "done")
            .secret(id)
            .environment(environment)
            .reason(reason)
            .build());
  }

  private void insertVersion(Handle h, String id, int version, String value, Instant now) {
    SealedValue sealed = envelope.seal(id, version, value.getBytes(StandardCharsets.UTF_8));
    SecretStore.insertVersion(h, id, version, sealed, Masking.mask(value), stored.add(value), now);
  }

  private static Secret visible(Handle h, Caller caller, String id) {
    requireNonNull(caller, "caller");
    if (!Ids.looksLike("sec_", id)) {
      throw new SecretNotFoundException(
          String.valueOf(id).length() > 40 ? "(malformed id)" : String.valueOf(id));
    }
    Optional<Secret> s = SecretStore.find(h, id);
    if (s.isEmpty() || !caller.owns(s.get().accountId())) {
      throw new SecretNotFoundException(id);
    }
    return s.get();
  }

  private Secret visibleForUpdate(Handle h, Caller caller, String id) {
    visible(h, caller, id);
    return SecretStore.findForUpdate(h, id, db.dialect() == Dialect.POSTGRES).orElseThrow();
  }

  private Secret activeForUpdate(Handle h, String id) {
    Secret s =
        SecretStore.findForUpdate(h, id, db.dialect() == Dialect.POSTGRES)
            .orElseThrow(() -> new SecretNotFoundException(id));
    if (!s.status().equals("active")) {
      throw new SecretSealedException("secret " + id + " is sealed and cannot change");
    }
    return s;
  }

  private Secret activeForUpdate(Handle h, Caller caller, String id) {
    Secret s = visibleForUpdate(h, caller, id);
    if (!s.status().equals("active")) {
      throw new SecretSealedException("secret " + id + " is sealed and cannot change");
    }
    return s;
  }
}
