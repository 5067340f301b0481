package io.secretsapi.bench;

import io.secretsapi.Ids;
import io.secretsapi.crypto.Envelope;
import io.secretsapi.crypto.SealedValue;
import io.secretsapi.storage.Database;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Secrets for {@link ListingSeed}, inserted in batches as the vault stores them: each value sealed
 * by the envelope under the secret's id and version (so the broker opens it), masked 4 + 4 and
 * fingerprinted with the vault's fingerprint key as {@code io.secretsapi.secret.Masking} does.
 * Created over the last 90 days; seven in ten accessed in the last 30.
 */
final class SeedSecrets {
  private static final String SECRET =
      "INSERT INTO secrets (id, account_id, name, provider, resource_class, environment, owner,"
          + " tags, kind, status, current_version, created_at, updated_at, last_accessed_at)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, '[\"bench\"]', 'static', 'active', 1, ?, ?, ?)";
  private static final String VERSION =
      "INSERT INTO secret_versions (secret_id, version, state, wrapped_key, ciphertext,"
          + " kek_key_id, masked, fingerprint, created_at) VALUES (?, 1, 'current', ?, ?, ?, ?, ?, ?)";

  private SeedSecrets() {}

  static List<String> insert(
      Database db, Envelope envelope, byte[] fingerprintKey, String account, int n, long now) {
    Mac mac = mac(fingerprintKey);
    List<String> ids = new ArrayList<>(n);
    for (int from = 0; from < n; from += SeedRows.BATCH) {
      List<Object[]> secrets = new ArrayList<>();
      List<Object[]> versions = new ArrayList<>();
      for (int i = from; i < Math.min(n, from + SeedRows.BATCH); i++) {
        SplittableRandom r = new SplittableRandom(i);
        String id = Ids.random("sec_", 12);
        String value =
            "sk-bench-" + Long.toHexString(r.nextLong()) + Long.toHexString(r.nextLong());
        long created = now - 30 * SeedRows.DAY - r.nextLong(60 * SeedRows.DAY);
        Long access = r.nextInt(10) < 7 ? now - r.nextLong(30 * SeedRows.DAY) : null;
        secrets.add(
            new Object[] {
              id,
              account,
              String.format(Locale.ROOT, "svc-%06d", i),
              ListingSeed.PROVIDERS[r.nextInt(ListingSeed.PROVIDERS.length)],
              ListingSeed.CLASSES[r.nextInt(ListingSeed.CLASSES.length)],
              ListingSeed.ENVIRONMENTS[r.nextInt(ListingSeed.ENVIRONMENTS.length)],
              "team-" + r.nextInt(40),
              created,
              created,
              access
            });
        SealedValue sealed = envelope.seal(id, 1, value.getBytes(StandardCharsets.UTF_8));
        versions.add(
            new Object[] {
              id,
              sealed.wrappedKey(),
              sealed.ciphertext(),
              sealed.kekKeyId(),
              value.substring(0, 4) + "..." + value.substring(value.length() - 4),
              fingerprint(mac, value),
              created
            });
        ids.add(id);
      }
      db.inTransaction(h -> batch(h, secrets, versions));
    }
    return ids;
  }

  private static Void batch(Handle h, List<Object[]> secrets, List<Object[]> versions) {
    PreparedBatch s = h.prepareBatch(SECRET);
    secrets.forEach(s::add);
    s.execute();
    PreparedBatch v = h.prepareBatch(VERSION);
    versions.forEach(v::add);
    v.execute();
    return null;
  }

  private static Mac mac(byte[] key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String fingerprint(Mac mac, String value) {
    String hex =
        HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)), 0, 8);
    return hex.substring(0, 4)
        + ":"
        + hex.substring(4, 8)
        + ":"
        + hex.substring(8, 12)
        + ":"
        + hex.substring(12);
  }
}
