package io.secretsapi.secret;

import static java.util.Objects.requireNonNull;

import io.secretsapi.crypto.Envelope;
import io.secretsapi.crypto.SealedValue;
import io.secretsapi.storage.Database;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

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

  /** One readable version (current, or previous within its grace window). */
  public String version(String secretId, int version, Instant now) {
    SealedValue sealed =
        db.read(h -> SecretStore.sealedValue(h, secretId, version, now))
            .orElseThrow(() -> sealedOrAbsent(secretId, version));
    return open(secretId, version, sealed, now);
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
