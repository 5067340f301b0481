package io.secretsapi.bench;

import io.secretsapi.BrokerCore;
import io.secretsapi.access.Caller;
import io.secretsapi.access.IssuedApiKey;
import io.secretsapi.crypto.KeyEncryptionKey;
import io.secretsapi.secret.NewSecret;
import io.secretsapi.storage.Database;
import io.secretsapi.storage.Dialect;
import io.secretsapi.storage.StoreUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
      List<String> ids = createSecrets(core, root, secrets);
      report("secrets", secrets, t0);
      long now = System.currentTimeMillis();
      new SeedRows(db, root.serviceAccountId(), ids, now).tokensAndRecords(tokens, records);
      report("tokens and audit records", tokens + records, t0);
      analyze(db);
    }
    report("done", 0, t0);
  }

  /** Secrets through the vault, on several threads so that the group commit batches them. */
  private static List<String> createSecrets(BrokerCore core, Caller root, int n) throws Exception {
    int threads = 64; // each commit of the group is one fsync: many waiting writers share it
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<List<String>>> parts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int first = t;
      parts.add(
          pool.submit(
              () -> {
                List<String> ids = new ArrayList<>();
                for (int i = first; i < n; i += threads) {
                  ids.add(core.vault().create(root, secret(i)).id());
                }
                return ids;
              }));
    }
    List<String> all = new ArrayList<>(n);
    for (Future<List<String>> p : parts) {
      all.addAll(p.get());
    }
    pool.shutdown();
    return all;
  }

  private static NewSecret secret(int i) {
    SplittableRandom r = new SplittableRandom(i);
    return new NewSecret(
        String.format(Locale.ROOT, "svc-%06d", i),
        PROVIDERS[r.nextInt(PROVIDERS.length)],
        CLASSES[r.nextInt(CLASSES.length)],
        ENVIRONMENTS[r.nextInt(ENVIRONMENTS.length)],
        "team-" + r.nextInt(40),
        List.of("bench"),
        "sk-bench-" + Long.toHexString(r.nextLong()) + Long.toHexString(r.nextLong()),
        "static");
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
