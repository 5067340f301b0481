package io.secretsapi.bench;

import io.secretsapi.BrokerCore;
import io.secretsapi.access.AccessService;
import io.secretsapi.access.AuthenticationException;
import io.secretsapi.crypto.KeyEncryptionKey;
import io.secretsapi.storage.Database;
import io.secretsapi.storage.StoreUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Whether the time a refused key takes tells if its id exists: authenticates, in one thread and
 * interleaved, a known key id with a wrong secret and an unknown key id, on a fresh SQLite store,
 * and prints the latency of each. The two must be alike; a known id that is clearly faster (or
 * slower) leaks which ids exist. No HTTP, so the difference is not lost in the network's noise.
 *
 * <pre>java -cp secretsapi-bench.jar io.secretsapi.bench.AuthProbe [--count 200000]</pre>
 */
public final class AuthProbe {
  private AuthProbe() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = LoadGenerator.parse(args);
    int count = Integer.parseInt(a.getOrDefault("count", "200000"));
    Path dir = Files.createTempDirectory("secretsapi-auth-probe-");
    try (Database db = Database.open(StoreUrl.sqliteFile(dir.resolve("store.db")));
        BrokerCore core =
            new BrokerCore(
                db,
                KeyEncryptionKey.loadOrCreate(dir.resolve("kek.json")),
                Clock.systemUTC(),
                BrokerCore.Options.defaults())) {
      AccessService access = core.access();
      String root = access.bootstrap().orElseThrow().plaintext();
      String known = root.substring(0, 20) + "A".repeat(43);
      String unknown = "sk_aaaaaaaaaaaaaaaa_" + "A".repeat(43);
      Histogram[] warm = {new Histogram(3), new Histogram(3)};
      run(access, known, unknown, Math.max(1000, count / 10), warm);
      Histogram[] h = {new Histogram(3), new Histogram(3)};
      run(access, known, unknown, count, h);
      System.out.printf(
          Locale.ROOT, "%-22s %9s %9s %9s %9s%n", "key", "tries", "p50_us", "p90_us", "p99_us");
      print("known id, wrong secret", h[0]);
      print("unknown id", h[1]);
    }
  }

  private static void run(
      AccessService access, String known, String unknown, int count, Histogram[] h) {
    for (int i = 0; i < count; i++) {
      String presented = i % 2 == 0 ? known : unknown;
      long start = System.nanoTime();
      try {
        access.authenticate(presented);
      } catch (AuthenticationException expected) {
        // both are refused: only the time differs, if anything
      }
      h[i % 2].recordValue(System.nanoTime() - start);
    }
  }

  private static void print(String label, Histogram h) {
    System.out.printf(
        Locale.ROOT,
        "%-22s %9d %9.2f %9.2f %9.2f%n",
        label,
        h.getTotalCount(),
        h.getValueAtPercentile(50) / 1e3,
        h.getValueAtPercentile(90) / 1e3,
        h.getValueAtPercentile(99) / 1e3);
  }
}
