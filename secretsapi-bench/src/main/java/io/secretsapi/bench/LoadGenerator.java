package io.secretsapi.bench;

import io.secretsapi.client.Response;
import io.secretsapi.client.SecretsApiClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.json.JsonMapper;

/**
 * A closed-loop load generator: N clients on loopback, each sending its next request as soon as the
 * previous answer arrives, for a fixed time after a warm-up. Latencies go into HdrHistogram.
 *
 * <p>Usage: {@code java -jar secretsapi-bench.jar --addr http://127.0.0.1:8200 --root-key sk_...
 * --scenario issue|introspect --clients 1,8,16,32 --duration 20s --warmup 5s [--prewarm 30s]
 * [--client raw|jdk]}. It sets up its own secret, scope, policy and agent with the root key, so it
 * runs against a fresh broker. {@code --client raw} (the default) sends prepared requests over one
 * keep-alive socket per client, so the generator takes little of the CPU it measures; {@code jdk}
 * uses the JDK's HttpClient through the Java SDK.
 */
public final class LoadGenerator {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private LoadGenerator() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = parse(args);
    String addr = a.getOrDefault("addr", "http://127.0.0.1:8200");
    String scenario = a.getOrDefault("scenario", "issue");
    Duration duration = seconds(a.getOrDefault("duration", "20s"));
    Duration warmup = seconds(a.getOrDefault("warmup", "5s"));
    SecretsApiClient root = SecretsApiClient.create(addr, a.get("root-key"));
    Setup setup =
        Setup.make(
            root, Long.toString(System.nanoTime(), 36), addr, a.getOrDefault("client", "raw"));
    System.out.printf(
        "%-11s %7s %10s %10s %9s %9s %9s %9s %7s%n",
        "scenario",
        "clients",
        "requests",
        "per_sec",
        "p50_ms",
        "p90_ms",
        "p99_ms",
        "max_ms",
        "errors");
    // The broker's JIT compiles its hot paths for tens of seconds on two cores; a warm-up at
    // eight clients first keeps that compilation out of every measured row.
    Duration prewarm = seconds(a.getOrDefault("prewarm", "0s"));
    if (!prewarm.isZero()) {
      run(setup, scenario, 8, prewarm);
    }
    for (String c : a.getOrDefault("clients", "1,8,16,32").split(",")) {
      int clients = Integer.parseInt(c.trim());
      run(setup, scenario, clients, warmup);
      Result r = run(setup, scenario, clients, duration);
      Histogram h = r.histogram;
      System.out.printf(
          "%-11s %7d %10d %10.0f %9.3f %9.3f %9.3f %9.3f %7d%n",
          scenario,
          clients,
          h.getTotalCount(),
          h.getTotalCount() / (r.nanos / 1e9),
          h.getValueAtPercentile(50) / 1e6,
          h.getValueAtPercentile(90) / 1e6,
          h.getValueAtPercentile(99) / 1e6,
          h.getMaxValue() / 1e6,
          r.errors);
    }
  }

  record Result(Histogram histogram, long nanos, long errors) {}

  /** One client's way of sending the next request: answers the status, or an error line. */
  interface Sender extends AutoCloseable {
    int send() throws Exception;

    /** What to print about a failed request (the body, when the client kept it). */
    default String lastBody() {
      return "";
    }

    @Override
    default void close() throws Exception {}
  }

  /** A sender of prepared bytes over its own keep-alive socket. */
  static Sender raw(String address, byte[] request) {
    RawHttpClient http = new RawHttpClient(address);
    return new Sender() {
      @Override
      public int send() throws Exception {
        return http.send(request);
      }

      @Override
      public void close() throws Exception {
        http.close();
      }
    };
  }

  static Result run(Setup s, String scenario, int clients, Duration duration) throws Exception {
    if (s.raw()) {
      return closedLoop(clients, duration, () -> raw(s.addr(), s.prepared(scenario)));
    }
    return closedLoop(
        clients,
        duration,
        () ->
            new Sender() {
              private String body = "";

              @Override
              public int send() {
                Response r = s.request(scenario);
                body = r.body();
                return r.status();
              }

              @Override
              public String lastBody() {
                return body;
              }
            });
  }

  /**
   * N clients, each with its own sender, each sending its next request as soon as the previous
   * answer arrives, until {@code duration} has passed; the latencies of the 200s in one histogram.
   */
  static Result closedLoop(int clients, Duration duration, Supplier<Sender> senders)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    AtomicLong errors = new AtomicLong();
    long start = System.nanoTime();
    long deadline = start + duration.toNanos();
    List<Future<Histogram>> futures = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      futures.add(
          pool.submit(
              () -> {
                Histogram h = new Histogram(Duration.ofSeconds(30).toNanos(), 3);
                try (Sender sender = senders.get()) {
                  while (System.nanoTime() < deadline) {
                    long t0 = System.nanoTime();
                    int status = sender.send();
                    long t1 = System.nanoTime();
                    if (status == 200) {
                      h.recordValue(Math.min(t1 - t0, h.getHighestTrackableValue()));
                    } else if (errors.incrementAndGet() < 5) {
                      System.err.println(status + " " + sender.lastBody());
                    }
                  }
                }
                return h;
              }));
    }
    Histogram all = new Histogram(Duration.ofSeconds(30).toNanos(), 3);
    for (Future<Histogram> f : futures) {
      all.add(f.get());
    }
    long nanos = System.nanoTime() - start;
    pool.shutdown();
    return new Result(all, nanos, errors.get());
  }

  /** The objects the scenarios use, made with the root key. */
  record Setup(
      SecretsApiClient agent,
      String issueBody,
      String introspectBody,
      String addr,
      boolean raw,
      byte[] issueRequest,
      byte[] introspectRequest) {
    static Setup make(SecretsApiClient root, String tag, String addr, String client) {
      String secret =
          root.createSecret(
                  Map.of(
                      "name",
                      "bench-openai-" + tag,
                      "provider",
                      "openai",
                      "resource_class",
                      "model-access",
                      "environment",
                      "production",
                      "value",
                      "sk-proj-bench-0123456789abcdef"))
              .get("id")
              .asString();
      root.call(
          "POST",
          "/secrets/" + secret + "/scope",
          Map.of(
              "name",
              "model-access",
              "operations",
              List.of("reveal", "derive", "proxy"),
              "max_ttl",
              "15m"));
      root.send(
          "PUT",
          "/policies/BENCH-" + tag,
          "rules:\n  - id: bench-agents\n    effect: allow\n"
              + "    principals: [bench-agent-*]\n    operations: [issue, derive, resolve]\n",
          "application/yaml");
      String account =
          root.createServiceAccount("bench-agent-" + tag, "load generator").get("id").asString();
      String key =
          root.createApiKey(
                  Map.of(
                      "service_account_id",
                      account,
                      "name",
                      "bench",
                      "scopes",
                      List.of("tokens:issue")))
              .get("key")
              .asString();
      SecretsApiClient agent = root.withKey(key);
      Map<String, Object> issue = new LinkedHashMap<>();
      issue.put("secret_id", secret);
      issue.put("scope", "model-access");
      issue.put("ttl", "15m");
      issue.put("requested_by", "bench-agent-" + tag);
      issue.put("environment", "production");
      String issueBody = JSON.writeValueAsString(issue);
      String token = agent.call("POST", "/tokens/issue", issue).get("token").asString();
      String introspectBody = JSON.writeValueAsString(Map.of("token", token));
      String host = java.net.URI.create(addr).getAuthority();
      return new Setup(
          agent,
          issueBody,
          introspectBody,
          addr,
          client.equals("raw"),
          RawHttpClient.request("POST", "/tokens/issue", host, key, issueBody),
          RawHttpClient.request("POST", "/tokens/introspect", host, key, introspectBody));
    }

    byte[] prepared(String scenario) {
      return scenario.equals("issue") ? issueRequest : introspectRequest;
    }

    Response request(String scenario) {
      return switch (scenario) {
        case "issue" -> agent.send("POST", "/tokens/issue", issueBody, "application/json");
        case "introspect" ->
            agent.send("POST", "/tokens/introspect", introspectBody, "application/json");
        default -> throw new IllegalArgumentException("scenario must be issue or introspect");
      };
    }
  }

  static Duration seconds(String s) {
    return Duration.ofSeconds(Long.parseLong(s.replace("s", "")));
  }

  static Map<String, String> parse(String[] args) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String k = args[i].replaceFirst("^--", "");
      if (k.contains("=")) {
        m.put(k.substring(0, k.indexOf('=')), k.substring(k.indexOf('=') + 1));
      } else {
        m.put(k, args[++i]);
      }
    }
    return m;
  }
}
