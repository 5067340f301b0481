package io.secretsapi.bench;

import com.sun.net.httpserver.HttpServer;
import io.secretsapi.client.SecretsApiClient;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * Proxy overhead, side by side in one run: the same loopback upstream (a stand-in for a model
 * provider answering a small chat completion) called directly and through {@code POST
 * /proxy/{host}/v1/chat/completions} with a scoped token, N closed-loop clients each. A third row
 * sends the direct call through {@link TcpRelay}, a relay that only copies bytes: what any
 * intermediary costs on this machine, the floor under the proxy's overhead.
 *
 * <pre>java -cp secretsapi-bench.jar io.secretsapi.bench.ProxyBench --addr http://127.0.0.1:8200
 *   --root-key sk_... --upstream-port 9400 --clients 1,8,16,32 --duration 10s --warmup 3s
 *   [--prewarm 30s] [--upstream-ms 0,20] [--relay host:port]
 * </pre>
 *
 * {@code --upstream-ms}: how long the stand-in upstream takes to answer, one table row group per
 * value. At 0 it answers at once, and the table measures what each path costs in CPU on this
 * machine; a real provider takes tens to thousands of milliseconds, during which the broker holds
 * only an idle connection. The broker must list {@code 127.0.0.1:<upstream-port>} in {@code
 * proxy.insecure_upstreams}.
 */
public final class ProxyBench {
  static final byte[] ANSWER =
      ("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini\","
              + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
              + "\"Hello from the stand-in upstream.\"},\"finish_reason\":\"stop\"}],"
              + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":8,\"total_tokens\":20}}")
          .getBytes(StandardCharsets.UTF_8);
  static final String BODY =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";

  private ProxyBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = LoadGenerator.parse(args);
    String addr = a.getOrDefault("addr", "http://127.0.0.1:8200");
    int upPort = Integer.parseInt(a.getOrDefault("upstream-port", "9400"));
    Duration duration = LoadGenerator.seconds(a.getOrDefault("duration", "10s"));
    Duration warmup = LoadGenerator.seconds(a.getOrDefault("warmup", "3s"));
    java.util.concurrent.atomic.AtomicLong answerMillis =
        new java.util.concurrent.atomic.AtomicLong();
    HttpServer up = HttpServer.create(new InetSocketAddress("127.0.0.1", upPort), 512);
    up.setExecutor(Executors.newFixedThreadPool(128));
    up.createContext(
        "/v1/chat/completions",
        ex -> {
          ex.getRequestBody().readAllBytes();
          long ms = answerMillis.get();
          if (ms > 0) {
            try {
              Thread.sleep(ms);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(200, ANSWER.length);
          ex.getResponseBody().write(ANSWER);
          ex.close();
        });
    up.start();
    String upHost = "127.0.0.1:" + upPort;
    // --relay host:port: another relay to the upstream (HAProxy in TCP mode, say) in place of ours.
    TcpRelay relay =
        a.containsKey("relay") ? null : new TcpRelay(new InetSocketAddress("127.0.0.1", upPort));
    String relayHost = relay == null ? a.get("relay") : "127.0.0.1:" + relay.port();
    String token = setUp(SecretsApiClient.create(addr, a.get("root-key")), upHost);
    String brokerHost = addr.replaceFirst("^https?://", "");
    byte[] direct = RawHttpClient.request("POST", "/v1/chat/completions", upHost, "none", BODY);
    byte[] proxied =
        RawHttpClient.request(
            "POST", "/proxy/" + upHost + "/v1/chat/completions", brokerHost, token, BODY);
    System.out.printf(
        "%-9s %11s %7s %10s %10s %9s %9s %9s %7s%n",
        "scenario",
        "upstream_ms",
        "clients",
        "requests",
        "per_sec",
        "p50_ms",
        "p90_ms",
        "p99_ms",
        "errors");
    Duration prewarm = LoadGenerator.seconds(a.getOrDefault("prewarm", "0s"));
    if (!prewarm.isZero()) { // the broker's JIT, out of the measured rows (see LoadGenerator)
      run(addr, proxied, 8, prewarm);
    }
    for (String d : a.getOrDefault("upstream-ms", "0").split(",")) {
      answerMillis.set(Long.parseLong(d.trim()));
      for (String c : a.getOrDefault("clients", "1,8,16,32").split(",")) {
        row(
            addr,
            upHost,
            relayHost,
            proxied,
            direct,
            answerMillis.get(),
            Integer.parseInt(c.trim()),
            warmup,
            duration);
      }
    }
    if (relay != null) {
      relay.close();
    }
    up.stop(0);
    System.exit(0);
  }

  /**
   * One row each for the direct call, the same call through the zero-work {@link TcpRelay} and the
   * proxied call, at {@code clients} closed-loop clients.
   */
  private static void row(
      String addr,
      String upHost,
      String relayHost,
      byte[] proxied,
      byte[] direct,
      long upstreamMillis,
      int clients,
      Duration warmup,
      Duration duration)
      throws Exception {
    for (String scenario : List.of("direct", "relay", "proxy")) {
      boolean viaProxy = scenario.equals("proxy");
      String target = viaProxy ? addr : "http://" + (scenario.equals("relay") ? relayHost : upHost);
      byte[] req = viaProxy ? proxied : direct;
      run(target, req, clients, warmup);
      LoadGenerator.Result r = run(target, req, clients, duration);
      System.out.printf(
          "%-9s %11d %7d %10d %10.0f %9.3f %9.3f %9.3f %7d%n",
          scenario,
          upstreamMillis,
          clients,
          r.histogram().getTotalCount(),
          r.histogram().getTotalCount() / (r.nanos() / 1e9),
          r.histogram().getValueAtPercentile(50) / 1e6,
          r.histogram().getValueAtPercentile(90) / 1e6,
          r.histogram().getValueAtPercentile(99) / 1e6,
          r.errors());
    }
  }

  static LoadGenerator.Result run(String address, byte[] request, int clients, Duration duration)
      throws Exception {
    return LoadGenerator.closedLoop(clients, duration, () -> LoadGenerator.raw(address, request));
  }

  private static String setUp(SecretsApiClient root, String upHost) {
    String tag = Long.toString(System.nanoTime(), 36);
    String secret =
        root.createSecret(
                Map.of(
                    "name", "bench-proxy-" + tag,
                    "provider", "openai",
                    "resource_class", "model-access",
                    "environment", "production",
                    "value", "sk-proj-bench-proxy-0123456789abcdef"))
            .get("id")
            .asString();
    root.call(
        "POST",
        "/secrets/" + secret + "/scope",
        Map.of(
            "name",
            "proxy",
            "operations",
            List.of("proxy"),
            "upstream",
            Map.of(
                "hosts",
                List.of(upHost),
                "methods",
                List.of("POST"),
                "path_prefixes",
                List.of("/v1")),
            "max_ttl",
            "15m"));
    root.send(
        "PUT",
        "/policies/BENCH-PROXY-" + tag,
        "rules:\n  - id: bench-proxy\n    effect: allow\n    principals: [root]\n"
            + "    operations: [issue, proxy]\n",
        "application/yaml");
    return root.call(
            "POST",
            "/tokens/issue",
            Map.of(
                "secret_id", secret, "scope", "proxy", "ttl", "15m", "environment", "production"))
        .get("token")
        .asString();
  }
}
