package io.secretsapi.bench;

import io.secretsapi.BrokerCore;
import io.secretsapi.access.Caller;
import io.secretsapi.access.IssuedApiKey;
import io.secretsapi.crypto.KeyEncryptionKey;
import io.secretsapi.secret.VaultKeys;
import io.secretsapi.storage.Database;
import io.secretsapi.storage.Dialect;
import io.secretsapi.storage.StoreUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

/**
 * Fills a fresh store for the listing benchmark (bench/listing.sh, design 0023): the root account
 * and its admin key (written to a file), secrets made by the vault itself (sealed, masked, each
 * with its audit record), then tokens and audit records inserted in batches straight into their
 * tables, each row as the broker writes it: the audit records continue the hash chain from its
 * head.
 *
 * <pre>
 * java -cp secretsapi-bench.jar io.secretsapi.bench.ListingSeed STORE_URL KEK_FILE KEY_FILE \
 *     [secrets] [tokens] [audit-records]
 * </pre>
 */
public final class ListingSeed {
  static final String[] ENVIRONMENTS = {"production", "staging", "development"};
  static final String[] CLASSES = {
    "model-access", "payments", "cdn", "repository", "storage", "analytics"
  };
  static final String[] PROVIDERS = {
    "openai", "anthropic", "stripe", "cloudflare", "github", "aws", "shopify"
  };
  static final int PRINCIPALS = 1_000;

  private ListingSeed() {}

  public static void main(String[] args) throws Exception {
    StoreUrl url = StoreUrl.parse(args[0]);
    int secrets = args.length > 3 ? Integer.parseInt(args[3]) : 100_000;
    int tokens = args.length > 4 ? Integer.parseInt(args[4]) : 1_000_000;
    int records = args.length > 5 ? Integer.parseInt(args[5]) : 1_000_000;
    long t0 = System.nanoTime();
    try (Database db = Database.open(url);
        BrokerCore core =
            new BrokerCore(
                db,
                KeyEncryptionKey.loadOrCreate(Path.of(args[1])),
                Clock.systemUTC(),
                BrokerCore.Options.defaults())) {
      IssuedApiKey key = core.access().bootstrap().orElseThrow();
      Files.writeString(Path.of(args[2]), key.plaintext());
      Caller root = core.access().authenticate(key.plaintext());
      long now = System.currentTimeMillis();
      byte[] fingerprintKey =
          new VaultKeys(db, core.envelope(), Clock.systemUTC()).loadOrCreate("fingerprint");
      List<String> ids =
          SeedSecrets.insert(
              db, core.envelope(), fingerprintKey, root.serviceAccountId(), secrets, now);
      report("secrets", secrets, t0);
      new SeedRows(db, root.serviceAccountId(), ids, now).tokensAndRecords(tokens, records);
      report("tokens and audit records", tokens + records, t0);
      analyze(db);
    }
    report("done", 0, t0);
  }

  /** Fresh statistics for both planners, as an operator's maintenance would keep them. */
  private static void analyze(Database db) {
    if (db.dialect() == Dialect.POSTGRES) {
      db.inTransaction(h -> h.execute("ANALYZE"));
    }
  }

  static void report(String what, long n, long t0) {
    System.out.printf(
        Locale.ROOT, "%s: %,d rows, %.1f s since start%n", what, n, (System.nanoTime() - t0) / 1e9);
  }
}
