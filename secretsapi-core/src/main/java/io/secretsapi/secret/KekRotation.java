package io.secretsapi.secret;

import io.secretsapi.audit.AuditEntry;
import io.secretsapi.audit.AuditLog;
import io.secretsapi.crypto.Envelope;
import io.secretsapi.crypto.SealedValue;
import io.secretsapi.storage.ChangeFeed;
import io.secretsapi.storage.Database;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * One rotation of the key-encryption key ({@link Vault#rotateKek}): the new primary key is written
 * to the key file before anything is wrapped under it, data keys are re-wrapped 200 to a
 * transaction (a row re-wrapped meanwhile by someone else is skipped, not overwritten), then the
 * broker's own sealed keys, and only when no data key is left under a retired key are the retired
 * keys dropped from the file. Reads keep working throughout: the key file opens both generations.
 */
final class KekRotation {
  private final Database db;
  private final Envelope envelope;
  private final VaultKeys keys;
  private final AuditLog audit;

  KekRotation(Database db, Envelope envelope, VaultKeys keys, AuditLog audit) {
    this.db = db;
    this.envelope = envelope;
    this.keys = keys;
    this.audit = audit;
  }

  KekRotationResult run() {
    List<Long> before = envelope.kek().keyIds();
    envelope.useKek(envelope.kek().withNewPrimary());
    long primary = envelope.kek().primaryKeyId();
    announce(primary); // from now on, data keys are wrapped by a key the other nodes lack
    long rewrapped = 0;
    for (int pass = 0; pass < 100; pass++) {
      int n = db.inTransaction(h -> rewrapBatch(h, primary));
      rewrapped += n;
      if (n == 0) {
        break;
      }
    }
    rewrapped += db.inTransaction(h -> rewrapVaultKeys(h, primary));
    long left = db.read(h -> (long) SecretStore.wrappedByOtherKeys(h, primary, 1).size());
    if (left > 0) {
      throw new IllegalStateException(
          "data keys still wrapped by a retired key; run the rotation again");
    }
    envelope.useKek(envelope.kek().withPrimaryOnly());
    List<Long> retired = new ArrayList<>(before);
    retired.remove(primary);
    long total = rewrapped;
    db.inTransaction(
        h ->
            audit.append(
                h,
                AuditEntry.of("kek.rotate", "broker", "done")
                    .reason(
                        "new primary key "
                            + primary
                            + "; "
                            + total
                            + " data key(s) re-wrapped; retired "
                            + retired)
                    .build()));
    announce(primary);
    return new KekRotationResult(primary, retired, rewrapped);
  }

  private void announce(long primary) {
    db.inTransaction(
        h -> {
          ChangeFeed.announce(h, db.dialect(), ChangeFeed.Topic.KEK, Long.toString(primary));
          return null;
        });
  }

  private int rewrapBatch(Handle h, long primary) {
    int n = 0;
    for (SecretStore.WrappedRow row : SecretStore.wrappedByOtherKeys(h, primary, 200)) {
      SealedValue next =
          envelope.rewrap(
              Envelope.secretDomain(), row.secretId() + "#" + row.version(), row.sealed());
      if (SecretStore.replaceWrapping(h, row, next)) {
        n++;
      }
    }
    return n;
  }

  private int rewrapVaultKeys(Handle h, long primary) {
    int n = io.secretsapi.crypto.SigningKeys.rewrapAll(h, envelope, primary);
    return n + keys.rewrapAll(h, primary);
  }
}
