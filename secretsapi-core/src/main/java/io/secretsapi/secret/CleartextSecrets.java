package io.secretsapi.secret;

import static java.util.Objects.requireNonNull;

import io.secretsapi.crypto.Envelope;
import io.secretsapi.crypto.SealedValue;
import io.secretsapi.proxy.Injection;
import io.secretsapi.storage.Database;
import io.secretsapi.storage.Jdbc;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * The one place where a secret's plaintext is read back out of the vault.
 *
 * <p>Everything else in the broker handles masked views. Callers of this class are the explicit
 * reveal paths (a token's {@code resolve}, the injecting proxy, validation probes); grep for it to
 * audit them. Authorization is the caller's job: this class only decrypts. A value that fails
 * authentication raises {@link io.secretsapi.crypto.DecryptionFailedException}; nothing partial is
 * returned.
 */
public final class CleartextSecrets {
  private final Database db;
  private final Envelope envelope;
  private final Clock clock;

  private final java.util.concurrent.ConcurrentHashMap<String, Instant> lastAccess =
      new java.util.concurrent.ConcurrentHashMap<>();

  public CleartextSecrets(Database db, Envelope envelope, Clock clock) {
    this.db = requireNonNull(db, "db");
    this.envelope = requireNonNull(envelope, "envelope");
    this.clock = requireNonNull(clock, "clock");
  }

  /** The current value of a secret; records the access time. */
  public String current(String secretId) {
    Instant now = clock.instant();
    // One read (one connection from the pool) for the secret's state and its current value.
    Map.Entry<Integer, SealedValue> current =
        db.read(
            h -> {
              Secret s =
                  SecretStore.find(h, secretId)
                      .orElseThrow(() -> new SecretNotFoundException(secretId));
              if (!"active".equals(s.status())) {
                throw new SecretSealedException("secret " + secretId + " is sealed");
              }
              return Map.entry(
                  s.currentVersion(),
                  SecretStore.sealedValue(h, secretId, s.currentVersion(), now)
                      .orElseThrow(() -> sealedOrAbsent(secretId, s.currentVersion())));
            });
    return open(secretId, current.getKey(), current.getValue(), now);
  }

  /**
   * A secret's current value as stored (still encrypted), read inside the caller's transaction so
   * that what is opened later is what the transaction saw. Holds no plaintext.
   */
  public static final class Sealed {
    private final String secretId;
    private final int version;
    private final SealedValue value;
    private final Injection injection;
    private final String provider;

    private Sealed(
        String secretId, int version, SealedValue value, Injection injection, String provider) {
      this.secretId = secretId;
      this.version = version;
      this.value = value;
      this.injection = injection;
      this.provider = provider;
    }

    /** The secret's provider ({@code openai}, {@code anthropic}...), as stored, lowercase. */
    public String provider() {
      return provider;
    }

    /** The version read: the current one when it was read. */
    public int version() {
      return version;
    }

    /** Where the value is injected, as the secret said when the value was read. */
    public Injection injection() {
      return injection;
    }

    @Override
    public String toString() {
      return "Sealed[" + secretId + " v" + version + "]";
    }
  }

  /**
   * The current value of an active secret, still sealed, and where it is injected, read on {@code
   * h} in one statement: the injecting proxy and a reveal read it inside the transaction that
   * grants the use, and open it after.
   *
   * @throws SecretNotFoundException when there is no such secret
   * @throws SecretSealedException when the secret or its current version is sealed
   */
  public static Sealed sealedCurrent(Handle h, String secretId) {
    Object[] row =
        Jdbc.first(
                h,
                "SELECT s.status, s.current_version, v.wrapped_key, v.ciphertext, v.kek_key_id,"
                    + " s.provider, s.inject_in, s.inject_name, s.inject_template"
                    + " FROM secrets s LEFT JOIN secret_versions v ON v.secret_id = s.id"
                    + " AND v.version = s.current_version AND v.ciphertext IS NOT NULL"
                    + " WHERE s.id = ?",
                rs ->
                    new Object[] {
                      rs.getString(1),
                      rs.getInt(2),
                      rs.getBytes(3),
                      rs.getBytes(4),
                      rs.getLong(5),
                      Injection.stored(
                          rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(6)),
                      rs.getString(6)
                    },
                secretId)
            .orElseThrow(() -> new SecretNotFoundException(secretId));
    if (!"active".equals(row[0])) {
      throw new SecretSealedException("secret " + secretId + " is sealed");
    }
    int version = (Integer) row[1];
    if (row[2] == null || row[3] == null) {
      throw sealedOrAbsent(secretId, version);
    }
    return new Sealed(
        secretId,
        version,
        new SealedValue((byte[]) row[2], (byte[]) row[3], (Long) row[4]),
        (Injection) row[5],
        row[6] == null ? "" : ((String) row[6]).toLowerCase(java.util.Locale.ROOT));
  }

  /** Opens a value read by {@link #sealedCurrent}; records the access time. */
  public String open(Sealed sealed) {
    return open(sealed.secretId, sealed.version, sealed.value, clock.instant());
  }

  /** One readable version (current, or previous within its grace window). */
  public String version(String secretId, int version, Instant now) {
    SealedValue sealed =
        db.read(h -> SecretStore.sealedValue(h, secretId, version, now))
            .orElseThrow(() -> sealedOrAbsent(secretId, version));
    return open(secretId, version, sealed, now);
  }

  /**
   * A pending version's value, for the rotation engine to validate it before promotion and to
   * resume after a restart. Records no access: nothing is served with it.
   */
  public String pending(String secretId, int version) {
    SealedValue sealed =
        db.read(h -> SecretStore.sealedPending(h, secretId, version))
            .orElseThrow(() -> sealedOrAbsent(secretId, version));
    return new String(envelope.open(secretId, version, sealed), StandardCharsets.UTF_8);
  }

  private String open(String secretId, int version, SealedValue sealed, Instant now) {
    byte[] plain = envelope.open(secretId, version, sealed);
    lastAccess.merge(secretId, now, (a, b) -> a.isAfter(b) ? a : b);
    return new String(plain, StandardCharsets.UTF_8);
  }

  private static SecretSealedException sealedOrAbsent(String secretId, int version) {
    return new SecretSealedException(
        "version " + version + " of secret " + secretId + " is sealed or absent");
  }

  /**
   * Writes the access times gathered since the last call, in one transaction: a read of a value (a
   * reveal, a proxied call) writes nothing on its own path. The periodic job calls it.
   */
  public void flushAccess() {
    if (lastAccess.isEmpty()) {
      return;
    }
    java.util.Map<String, Instant> batch = new java.util.HashMap<>();
    for (String id : lastAccess.keySet()) {
      Instant at = lastAccess.remove(id);
      if (at != null) {
        batch.put(id, at);
      }
    }
    db.inTransaction(
        h -> {
          batch.forEach((id, at) -> SecretStore.touch(h, id, at));
          return null;
        });
  }
}
