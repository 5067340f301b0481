package io.secretsapi.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * The write convoy of issue 18, against a running broker on SQLite: N clients write secrets (half
 * create new ones, half put new values on one secret each) while a prober asks {@code /health/live}
 * every 10 ms; in the middle of each run another process's connection holds SQLite's write lock
 * ({@code BEGIN IMMEDIATE}) for {@code lock-ms}. Per run it prints the liveness p50/p99/max, the
 * writes answered 2xx, the 503s and the slowest write; {@code warmup-runs} (default 1) runs at 8
 * clients come first and are not counted. The bar: liveness p99 under 50 ms and no 503 (the
 * lock is shorter than {@code store.lock_timeout}).
 *
 * <pre>
 *   java -cp secretsapi-bench.jar io.secretsapi.bench.ConvoyBench --addr http://127.0.0.1:8200 \
 *     --root-key sk_... --db /path/broker.db --clients 4,8,16 --runs 20 --lock-ms 4000
 * </pre>
 */
public final class ConvoyBench {
  private ConvoyBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = LoadGenerator.parse(args);
    String addr = a.get("addr");
    String key = a.get("root-key");
    String db = a.get("db");
    int runs = Integer.parseInt(a.getOrDefault("runs", "20"));
    long lockMs = Long.parseLong(a.getOrDefault("lock-ms", "4000"));
    HttpClient http =
        HttpClient.newBuilder()
            .executor(Executors.newFixedThreadPool(4))
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    System.out.printf(
        "%-7s %4s %10s %10s %10s %7s %5s %11s%n",
        "clients", "run", "live_p50", "live_p99", "live_max", "writes", "503", "write_max");
    System.out.println("# runs numbered below 1 are warm-up runs, not counted");
    // The broker's JIT compiler takes most of a core for its first half-minute: one run, not
    // counted, before the measured ones (as bench/run.sh's pre-warm).
    int warm = Integer.parseInt(a.getOrDefault("warmup-runs", "1"));
    for (int w = 1; w <= warm; w++) {
      run(http, addr, key, db, 8, -w, lockMs);
    }
    int failed = 0;
    for (String c : a.getOrDefault("clients", "4,8,16").split(",")) {
      int clients = Integer.parseInt(c.trim());
      for (int run = 1; run <= runs; run++) {
        if (!run(http, addr, key, db, clients, run, lockMs)) {
          failed++;
        }
      }
    }
    System.out.println(failed == 0 ? "# every run met the bar" : "# runs below the bar: " + failed);
    System.exit(failed == 0 ? 0 : 1);
  }

  private static boolean run(
      HttpClient http, String addr, String key, String db, int clients, int run, long lockMs)
      throws Exception {
    AtomicBoolean going = new AtomicBoolean(true);
    AtomicLong ok = new AtomicLong();
    AtomicLong unavailable = new AtomicLong();
    AtomicLong slowest = new AtomicLong();
    Histogram live = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    ExecutorService pool = Executors.newFixedThreadPool(clients + 1);
    List<Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      int client = i;
      futures.add(
          pool.submit(
              () -> {
                String own =
                    client % 2 == 1
                        ? create(http, addr, key, clients + "-" + run + "-" + client)
                        : null;
                int n = 0;
                while (going.get()) {
                  long t0 = System.nanoTime();
                  int status =
                      own == null
                          ? status(
                              http,
                              post(
                                  addr,
                                  key,
                                  "/secrets",
                                  secret(clients + "-" + run + "-" + client + "-" + n)))
                          : status(
                              http,
                              HttpRequest.newBuilder(
                                      URI.create(addr + "/secrets/" + own + "/value"))
                                  .header("Authorization", "Bearer " + key)
                                  .header("Content-Type", "application/json")
                                  .timeout(Duration.ofSeconds(60))
                                  .PUT(
                                      HttpRequest.BodyPublishers.ofString(
                                          "{\"value\":\"sk-proj-convoy-" + n + "-0123456789\"}"))
                                  .build());
                  n++;
                  slowest.accumulateAndGet(System.nanoTime() - t0, Math::max);
                  if (status / 100 == 2) {
                    ok.incrementAndGet();
                  } else if (status == 503) {
                    unavailable.incrementAndGet();
                  }
                }
                return null;
              }));
    }
    futures.add(
        pool.submit(
            () -> {
              while (going.get()) {
                long t0 = System.nanoTime();
                status(
                    http,
                    HttpRequest.newBuilder(URI.create(addr + "/health/live"))
                        .timeout(Duration.ofSeconds(60))
                        .build());
                live.recordValue(Math.min(System.nanoTime() - t0, live.getHighestTrackableValue()));
                Thread.sleep(10);
              }
              return null;
            }));
    Thread.sleep(1_000);
    try (Connection outside = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement st = outside.createStatement()) {
      st.execute("PRAGMA busy_timeout = 30000");
      st.execute("BEGIN IMMEDIATE");
      Thread.sleep(lockMs);
      st.execute("ROLLBACK");
    }
    Thread.sleep(1_000);
    going.set(false);
    for (Future<?> f : futures) {
      f.get(120, TimeUnit.SECONDS);
    }
    pool.shutdown();
    double p99 = live.getValueAtPercentile(99) / 1e6;
    System.out.printf(
        "%-7d %4d %10.2f %10.2f %10.2f %7d %5d %11.0f%n",
        clients,
        run,
        live.getValueAtPercentile(50) / 1e6,
        p99,
        live.getMaxValue() / 1e6,
        ok.get(),
        unavailable.get(),
        slowest.get() / 1e6);
    return p99 < 50 && unavailable.get() == 0;
  }

  private static String secret(String name) {
    return "{\"name\":\"convoy-"
        + name
        + "\",\"provider\":\"openai\",\"resource_class\":\"model-access\","
        + "\"environment\":\"production\",\"owner\":\"AI Platform\","
        + "\"value\":\"sk-proj-convoy-0123456789abcdef\"}";
  }

  private static String create(HttpClient http, String addr, String key, String name)
      throws Exception {
    HttpResponse<String> r =
        http.send(post(addr, key, "/secrets", secret(name)), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 201) {
      throw new IllegalStateException("creating a secret answered " + r.statusCode() + r.body());
    }
    String body = r.body();
    int at = body.indexOf("\"id\":\"") + 6;
    return body.substring(at, body.indexOf('"', at));
  }

  private static HttpRequest post(String addr, String key, String path, String json) {
    return HttpRequest.newBuilder(URI.create(addr + path))
        .header("Authorization", "Bearer " + key)
        .header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
  }

  private static int status(HttpClient http, HttpRequest r) {
    try {
      return http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }
}
