package io.secretsapi.secret;

import static java.util.Objects.requireNonNull;

import io.secretsapi.Ids;
import io.secretsapi.crypto.Envelope;
import io.secretsapi.crypto.SealedValue;
import io.secretsapi.storage.Database;
import java.time.Clock;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The broker's own keys (the fingerprint key, the audit-hash key, webhook signing secrets), kept in
 * {@code vault_keys} sealed by the KEK, so that a KEK rotation re-wraps them with the rest.
 */
public final class VaultKeys {
  private static final String DOMAIN = "secretsapi/vault-key/v1";

  private final Database db;
  private final Envelope envelope;
  private final Clock clock;

  public VaultKeys(Database db, Envelope envelope, Clock clock) {
    this.db = requireNonNull(db, "db");
    this.envelope = requireNonNull(envelope, "envelope");
    this.clock = requireNonNull(clock, "clock");
  }

  /** The 32-byte key named {@code name}, made on first use. Safe when nodes start together. */
  public byte[] loadOrCreate(String name) {
    Optional<SealedValue> existing = db.read(h -> SecretStore.vaultKey(h, name));
    if (existing.isEmpty()) {
      SealedValue fresh = envelope.seal(DOMAIN, name, Ids.randomBytes(32));
      db.inTransaction(
          h -> {
            SecretStore.insertVaultKeyIfAbsent(h, name, fresh, clock.instant());
            return null;
          });
      existing = db.read(h -> SecretStore.vaultKey(h, name));
    }
    return envelope.open(DOMAIN, name, existing.orElseThrow());
  }

  /** Stores {@code key} sealed under {@code name}, inside the caller's transaction. */
  public void store(Handle h, String name, byte[] key) {
    SecretStore.insertVaultKeyIfAbsent(h, name, envelope.seal(DOMAIN, name, key), clock.instant());
  }

  /** The key stored under {@code name}, if there is one. */
  public Optional<byte[]> find(String name) {
    return db.read(h -> SecretStore.vaultKey(h, name)).map(v -> envelope.open(DOMAIN, name, v));
  }

  /** Erases the key stored under {@code name}, inside the caller's transaction. */
  public static void drop(Handle h, String name) {
    h.createUpdate("DELETE FROM vault_keys WHERE name = :name").bind("name", name).execute();
  }

  /** Re-wraps every key not wrapped by {@code primary}; answers how many. */
  int rewrapAll(Handle h, long primary) {
    int n = 0;
    for (String name : SecretStore.vaultKeysWrappedByOtherKeys(h, primary)) {
      SealedValue sealed = SecretStore.vaultKey(h, name).orElseThrow();
      SecretStore.replaceVaultKeyWrapping(h, name, envelope.rewrap(DOMAIN, name, sealed));
      n++;
    }
    return n;
  }

  @Override
  public String toString() {
    return "VaultKeys[sealed by the KEK]";
  }
}
