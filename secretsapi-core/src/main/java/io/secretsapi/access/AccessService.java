package io.secretsapi.access;

import static java.util.Objects.requireNonNull;

import io.secretsapi.ConflictException;
import io.secretsapi.Ids;
import io.secretsapi.Inputs;
import io.secretsapi.ValidationException;
import io.secretsapi.audit.AuditEntry;
import io.secretsapi.audit.AuditLog;
import io.secretsapi.storage.ChangeFeed;
import io.secretsapi.storage.Database;
import io.secretsapi.storage.Sql;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Handle;

/**
 * Service accounts and their API keys: creation, the one-time reveal, rotation, revocation, and
 * authentication of a presented key.
 *
 * <p>Ownership: a key manages the keys of its own service account; another account's keys are
 * visible only with {@code keys:admin}, and appear as not found otherwise. A key never grants a
 * scope it does not hold itself. Thread-safe.
 */
public final class AccessService {
  private static final byte[] DUMMY_HASH = ApiKeyCodec.hash("dummy-secret-for-constant-time");
  private static final Duration MAX_GRACE = Duration.ofDays(30);

  private final Database db;
  private final Clock clock;
  private final AuditLog audit;
  private final Map<String, Usage> usage = new ConcurrentHashMap<>();
  private final List<KeyRevocationListener> revocationListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * Told of each key this service revokes, inside the revoking transaction: the token service
   * revokes every grant made with the key there, so that a key never outlives its grants'
   * revocation by a single commit.
   */
  @FunctionalInterface
  public interface KeyRevocationListener {
    void revoked(Handle h, String keyId, Instant at, String actor);
  }

  /**
   * Key ids read for authentication, for at most two seconds, found or not: an unknown id is kept
   * (as empty) exactly as a known one is, so that both cost one store read and then none, and the
   * time an answer takes does not tell whether an id exists. Creation, revocation and rotation
   * invalidate their entry at once on this node, and on the others as the {@link ChangeFeed} brings
   * the change (PostgreSQL); the two seconds bound a lost announcement. The size bound caps what a
   * flood of random ids can hold; Caffeine's frequency-based admission keeps the keys in steady use
   * from being pushed out by ids seen once.
   */
  private final com.github.benmanes.caffeine.cache.Cache<String, Optional<AccessStore.StoredKey>>
      keys =
          com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
              .maximumSize(50_000)
              .expireAfterWrite(Duration.ofSeconds(2))
              .build();

  private final KeySecrets secrets;

  public AccessService(Database db, Clock clock, AuditLog audit) {
    this.db = requireNonNull(db, "db");
    this.clock = requireNonNull(clock, "clock");
    this.audit = requireNonNull(audit, "audit");
    this.secrets = new KeySecrets(db);
  }

  /**
   * True when {@code candidate} is the secret part of one of this broker's API keys, alone: what
   * must never be kept or repeated when a caller pastes it into free text or an id.
   */
  public boolean isKeySecret(String candidate) {
    return candidate != null && secrets.contains(candidate);
  }

  /** A number that changes whenever what {@link #isKeySecret} knows does. */
  public long keySecretsGeneration() {
    return secrets.generation();
  }

  /** Reloads what {@link #isKeySecret} knows; the periodic job calls it. */
  public void refreshKeySecrets() {
    secrets.refresh();
  }

  /**
   * On a store with no service account yet, creates the {@code root} account and an {@code admin}
   * key, and returns the key for its one-time display. Safe when several nodes start at once: the
   * account name is unique, so only one of them creates it.
   */
  public Optional<IssuedApiKey> bootstrap() {
    try {
      return db.inTransaction(
          h -> {
            if (AccessStore.countAccounts(h) > 0) {
              return Optional.empty();
            }
            ServiceAccount root = insertAccount(h, "root", "created at first start", null);
            IssuedApiKey key = insertAdminKey(h, root.id(), "root");
            record(h, "key.create", "broker", key.key().id(), "root account and admin key made");
            return Optional.of(key);
          });
    } catch (RuntimeException e) {
      if (Sql.isUniqueViolation(e)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * Mints a new {@code admin} key for an operator who lost the root key, as {@code secretsapi admin
   * root-key} does offline: on the {@code root} account while it is active, else on a new account
   * {@code root-<seconds>} (the old one was revoked). Recorded in the trail as made by {@code
   * actor}. The caller has proved it holds the key-encryption key; this method only mints.
   */
  public IssuedApiKey mintRootKey(String actor) {
    requireNonNull(actor, "actor");
    IssuedApiKey minted =
        db.inTransaction(
            h -> {
              Instant now = clock.instant();
              ServiceAccount account =
                  AccessStore.findAccountByName(h, "root")
                      .filter(a -> a.revokedAt().isEmpty())
                      .orElse(null);
              if (account == null) {
                account =
                    insertAccount(
                        h,
                        "root-" + now.getEpochSecond(),
                        "made by secretsapi admin root-key: the root account was revoked",
                        null);
              }
              IssuedApiKey key = insertAdminKey(h, account.id(), "root-" + now.getEpochSecond());
              record(
                  h,
                  "key.create",
                  actor,
                  key.key().id(),
                  "admin key minted offline for "
                      + account.id()
                      + " by a holder of the key-encryption key (secretsapi admin root-key)");
              return key;
            });
    keys.invalidate(minted.key().id());
    return minted;
  }

  /**
   * Registers {@code listener} for every key revoked by {@link #revokeKey}, {@link #rotateKey}
   * without grace and {@link #revokeServiceAccount}. ({@link #revokeKeyWithin}'s caller handles its
   * own grants.)
   */
  public void onKeyRevoked(KeyRevocationListener listener) {
    revocationListeners.add(requireNonNull(listener, "listener"));
  }

  /**
   * Revokes a service account and every key it holds, and with each key every grant made with it;
   * no key can be made for it afterwards. An account cannot revoke itself: that would lock its
   * caller out. Revoking a revoked account changes nothing and succeeds.
   */
  public ServiceAccount revokeServiceAccount(Caller caller, String accountId) {
    requireNonNull(caller, "caller");
    caller.require(Scope.KEYS_ADMIN);
    List<String> revokedKeys = new java.util.ArrayList<>();
    ServiceAccount revoked =
        db.inTransaction(
            h -> {
              Instant now = clock.instant();
              ServiceAccount a = visibleAccount(h, caller, accountId);
              if (a.id().equals(caller.serviceAccountId())) {
                throw new ConflictException(
                    "id", "a key cannot revoke its own service account " + a.id());
              }
              if (AccessStore.revokeAccount(h, a.id(), now)) {
                for (String keyId : AccessStore.activeKeyIds(h, a.id())) {
                  revokeRow(h, keyId, now, caller.principal());
                  revokedKeys.add(keyId);
                }
                record(
                    h,
                    "account.revoke",
                    caller.principal(),
                    a.id(),
                    "service account "
                        + a.name()
                        + " revoked with "
                        + revokedKeys.size()
                        + " active keys");
              }
              return AccessStore.findAccount(h, a.id()).orElseThrow();
            });
    revokedKeys.forEach(keys::invalidate); // again: a request may have cached one before the commit
    return revoked;
  }

  /** True when a service account named {@code principal} exists and is not revoked. */
  public boolean isActivePrincipal(String principal) {
    return db.read(h -> AccessStore.findAccountByName(h, principal))
        .map(a -> a.revokedAt().isEmpty())
        .orElse(false);
  }

  /** Creates a service account; the route requires {@code keys:admin}. */
  public ServiceAccount createServiceAccount(Caller caller, String name, String description) {
    requireNonNull(caller, "caller");
    caller.require(Scope.KEYS_ADMIN);
    String n = Inputs.slug("name", name, 64);
    String d = Inputs.text("description", description, 512);
    try {
      return db.inTransaction(
          h -> {
            ServiceAccount account = insertAccount(h, n, d, caller.serviceAccountId());
            record(h, "account.create", caller.principal(), account.id(), "service account " + n);
            return account;
          });
    } catch (RuntimeException e) {
      if (Sql.isUniqueViolation(e)) {
        throw new ConflictException("name", "a service account named " + n + " already exists");
      }
      throw e;
    }
  }

  /** Every account for {@code keys:admin}; otherwise only the caller's own. */
  public List<ServiceAccount> listServiceAccounts(Caller caller) {
    Optional<String> only =
        caller.has(Scope.KEYS_ADMIN) ? Optional.empty() : Optional.of(caller.serviceAccountId());
    return db.read(h -> AccessStore.listAccounts(h, only));
  }

  /**
   * Creates an API key for a service account and returns its plaintext once.
   *
   * @param expiresIn how long the key lives, or empty for no expiry
   */
  public IssuedApiKey createKey(
      Caller caller,
      String serviceAccountId,
      String name,
      List<String> scopes,
      Optional<Duration> expiresIn) {
    requireNonNull(caller, "caller");
    String accountId = Inputs.required("service_account_id", serviceAccountId, 64);
    String n = Inputs.name("name", name, 64);
    Set<Scope> wanted = Scope.parseAll("scopes", scopes);
    requireGrantable(caller, wanted);
    expiresIn.ifPresent(
        d -> {
          if (d.isZero() || d.isNegative()) {
            throw new ValidationException("expires_in", "positive", "expires_in must be positive");
          }
        });
    IssuedApiKey created =
        db.inTransaction(
            h -> {
              ServiceAccount account = visibleAccount(h, caller, accountId);
              if (account.revokedAt().isPresent()) {
                throw new ConflictException(
                    "service_account_id", "service account " + account.id() + " is revoked");
              }
              Optional<Instant> expires = expiresIn.map(d -> clock.instant().plus(d));
              IssuedApiKey key = insertKey(h, account.id(), n, wanted, expires, Optional.empty());
              record(
                  h,
                  "key.create",
                  caller.principal(),
                  key.key().id(),
                  "for " + account.id() + " with " + Scope.join(wanted));
              return key;
            });
    // again: a request may have found the id unknown, and cached that, before the commit
    keys.invalidate(created.key().id());
    return created;
  }

  /** Keys of one account (visible to the caller), or of every visible account. */
  public List<ApiKey> listKeys(Caller caller, Optional<String> serviceAccountId) {
    Instant now = clock.instant();
    return db.read(
        h -> {
          if (serviceAccountId.isPresent()) {
            visibleAccount(h, caller, serviceAccountId.get());
            return AccessStore.listKeys(h, serviceAccountId, now);
          }
          Optional<String> only =
              caller.has(Scope.KEYS_ADMIN)
                  ? Optional.empty()
                  : Optional.of(caller.serviceAccountId());
          return AccessStore.listKeys(h, only, now);
        });
  }

  /** One key visible to the caller. */
  public ApiKey getKey(Caller caller, String keyId) {
    Instant now = clock.instant();
    return db.read(h -> visibleKey(h, caller, keyId, now));
  }

  /**
   * Replaces a key: the new key has the same account, name and scopes; the old one is revoked at
   * once, or stays valid for {@code grace} and then reads as revoked.
   */
  public IssuedApiKey rotateKey(Caller caller, String keyId, Optional<Duration> grace) {
    Duration g = grace.orElse(Duration.ZERO);
    if (g.isNegative() || g.compareTo(MAX_GRACE) > 0) {
      throw new ValidationException("grace", "range", "grace must be between 0s and 30d");
    }
    Instant now = clock.instant();
    IssuedApiKey rotated =
        db.inTransaction(
            h -> {
              ApiKey old = visibleKey(h, caller, keyId, now);
              if (!old.isActive()) {
                throw new ConflictException(
                    "id", "api key " + keyId + " is revoked and cannot be rotated");
              }
              requireGrantable(caller, old.scopes());
              IssuedApiKey next =
                  insertKey(
                      h,
                      old.serviceAccountId(),
                      old.name(),
                      old.scopes(),
                      old.expiresAt(),
                      Optional.of(old.id()));
              if (g.isZero()) {
                revokeRow(h, old.id(), now, caller.principal());
                AccessStore.markReplaced(h, old.id(), next.key().id());
              } else {
                AccessStore.retireAfter(h, old.id(), next.key().id(), now.plus(g));
              }
              changed(h, old.id());
              record(
                  h,
                  "key.rotate",
                  caller.principal(),
                  old.id(),
                  "replaced by " + next.key().id() + (g.isZero() ? "" : "; valid for " + g));
              return next;
            });
    keys.invalidate(keyId); // again: a request may have cached it before the commit
    keys.invalidate(rotated.key().id());
    return rotated;
  }

  /** Revokes a key at once. Revoking a revoked key changes nothing and succeeds. */
  public ApiKey revokeKey(Caller caller, String keyId) {
    ApiKey revoked =
        db.inTransaction(
            h -> {
              Instant now = clock.instant();
              ApiKey k = visibleKey(h, caller, keyId, now);
              revokeRow(h, k.id(), now, caller.principal());
              record(h, "key.revoke", caller.principal(), k.id(), "revoked");
              return AccessStore.findKey(h, k.id(), now).orElseThrow();
            });
    keys.invalidate(revoked.id()); // again: a request may have cached it before the commit
    return revoked;
  }

  /**
   * Revokes a key on {@code h}, as part of a larger transaction; the caller {@link #forget}s it
   * once that commits.
   */
  public void revokeKeyWithin(Handle h, Caller caller, String keyId) {
    Instant now = clock.instant();
    ApiKey k = visibleKey(h, caller, keyId, now);
    AccessStore.revoke(h, k.id(), now);
    changed(h, k.id());
  }

  /**
   * Drops a key (or, with none, every key) read for authentication: it changed in the store, or
   * another node made it.
   */
  public void forget(Optional<String> keyId) {
    keyId.ifPresentOrElse(keys::invalidate, keys::invalidateAll);
    keyId.ifPresentOrElse(secrets::learn, secrets::refresh);
  }

  /** Revokes one key on {@code h} and, if it was active, tells the listeners. */
  private void revokeRow(Handle h, String keyId, Instant now, String actor) {
    if (AccessStore.revoke(h, keyId, now)) {
      changed(h, keyId);
      for (KeyRevocationListener l : revocationListeners) {
        l.revoked(h, keyId, now, actor);
      }
    }
  }

  private void changed(Handle h, String keyId) {
    keys.invalidate(keyId);
    ChangeFeed.announce(h, db.dialect(), ChangeFeed.Topic.API_KEYS, keyId);
  }

  private void record(Handle h, String type, String actor, String subject, String reason) {
    audit.append(h, AuditEntry.of(type, actor, "done").subject(subject).reason(reason).build());
  }

  /**
   * Checks a presented key and returns who it belongs to.
   *
   * <p>The secret part is compared in constant time; an unknown id is looked up and cached like a
   * known one and compared against a dummy hash, so that it costs the same, and unknown, malformed,
   * expired and revoked keys all raise the same {@link AuthenticationException}.
   */
  public Caller authenticate(String presented) {
    Optional<String[]> parts = ApiKeyCodec.split(presented);
    if (parts.isEmpty()) {
      MessageDigest.isEqual(DUMMY_HASH, ApiKeyCodec.hash("x"));
      throw new AuthenticationException();
    }
    String id = parts.get()[0];
    byte[] presentedHash = ApiKeyCodec.hash(parts.get()[1]);
    Instant now = clock.instant();
    // loaded inside the cache's own lock for the id, so an invalidation that arrives while the
    // row is being read waits for it and then drops it; an unknown id is kept as empty, the same
    // way and for as long as a known one
    Optional<AccessStore.StoredKey> stored =
        keys.get(id, k -> db.read(h -> AccessStore.findForAuth(h, k, now)));
    byte[] expected = stored.map(AccessStore.StoredKey::secretHash).orElse(DUMMY_HASH);
    boolean match = MessageDigest.isEqual(expected, presentedHash);
    if (!match
        || stored.isEmpty()
        || !stored.get().key().isActive()
        || stored.get().key().expiresAt().map(e -> !e.isAfter(now)).orElse(false)) {
      throw new AuthenticationException();
    }
    ApiKey key = stored.get().key();
    usage.computeIfAbsent(key.id(), k -> new Usage()).record(now.toEpochMilli());
    return new Caller(key.serviceAccountId(), stored.get().accountName(), key.id(), key.scopes());
  }

  /**
   * Whether the key {@code keyId} is still active and unexpired, read the way {@link #authenticate}
   * reads it (cached, dropped when the key changes on any node): for a session made with the key,
   * which must end when the key does.
   */
  public boolean isKeyActive(String keyId) {
    requireNonNull(keyId, "keyId");
    Instant now = clock.instant();
    return keys.get(keyId, k -> db.read(h -> AccessStore.findForAuth(h, k, now)))
        .map(AccessStore.StoredKey::key)
        .filter(ApiKey::isActive)
        .filter(k -> k.expiresAt().map(now::isBefore).orElse(true))
        .isPresent();
  }

  /**
   * Writes the use counts and last-use times gathered since the last flush, in one transaction. The
   * broker calls this about once a second, so that authentication itself writes nothing.
   */
  public void flushUsage() {
    if (usage.isEmpty()) {
      return;
    }
    db.inTransaction(
        h -> {
          for (Map.Entry<String, Usage> e : usage.entrySet()) {
            long uses = e.getValue().count.getAndSet(0);
            if (uses > 0) {
              AccessStore.addUsage(h, e.getKey(), uses, e.getValue().last.get());
            }
          }
          return null;
        });
  }

  /**
   * A new service account, made by the account {@code createdBy} (null for the root accounts, which
   * the store itself makes).
   */
  private ServiceAccount insertAccount(
      Handle h, String name, String description, String createdBy) {
    ServiceAccount a =
        new ServiceAccount(
            Ids.random("sak_", 12), name, description, clock.instant(), Optional.empty());
    AccessStore.insertAccount(h, a, createdBy);
    return a;
  }

  /** An {@code admin} key without expiry for a root account. */
  private IssuedApiKey insertAdminKey(Handle h, String accountId, String name) {
    return insertKey(
        h, accountId, name, EnumSet.of(Scope.ADMIN), Optional.empty(), Optional.empty());
  }

  private IssuedApiKey insertKey(
      Handle h,
      String accountId,
      String name,
      Set<Scope> scopes,
      Optional<Instant> expires,
      Optional<String> replaces) {
    String id = ApiKeyCodec.newKeyId();
    String secret = ApiKeyCodec.newSecret();
    ApiKey key =
        new ApiKey(
            id,
            accountId,
            name,
            scopes,
            "active",
            clock.instant(),
            expires,
            Optional.empty(),
            Optional.empty(),
            0,
            replaces,
            Optional.empty());
    byte[] hash = ApiKeyCodec.hash(secret);
    AccessStore.insertKey(h, key, hash);
    secrets.add(hash); // at once, before the commit: knowing a key that never commits is harmless
    changed(h, id); // a node may hold the id as unknown, and does not know its secret yet
    return new IssuedApiKey(key, ApiKeyCodec.format(id, secret));
  }

  private static void requireGrantable(Caller caller, Set<Scope> wanted) {
    for (Scope s : wanted) {
      if (!caller.has(s) || (s == Scope.ADMIN && !caller.scopes().contains(Scope.ADMIN))) {
        throw new PermissionDeniedException(
            "cannot grant the scope " + s.wire() + ", which the calling api key does not hold");
      }
    }
  }

  private static ServiceAccount visibleAccount(Handle h, Caller caller, String accountId) {
    Optional<ServiceAccount> a = AccessStore.findAccount(h, accountId);
    if (a.isEmpty()
        || !(caller.serviceAccountId().equals(accountId) || caller.has(Scope.KEYS_ADMIN))) {
      throw new ServiceAccountNotFoundException(accountId);
    }
    return a.get();
  }

  private static ApiKey visibleKey(Handle h, Caller caller, String keyId, Instant now) {
    Optional<ApiKey> k = AccessStore.findKey(h, keyId, now);
    if (k.isEmpty()
        || !(caller.serviceAccountId().equals(k.get().serviceAccountId())
            || caller.has(Scope.KEYS_ADMIN))) {
      throw new ApiKeyNotFoundException(keyId);
    }
    return k.get();
  }

  private static final class Usage {
    final AtomicLong count = new AtomicLong();
    final AtomicLong last = new AtomicLong();

    void record(long at) {
      count.incrementAndGet();
      last.accumulateAndGet(at, Math::max);
    }
  }
}
