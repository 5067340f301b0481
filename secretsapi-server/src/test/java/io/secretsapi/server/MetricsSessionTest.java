package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.client.SecretsApiClient;
import io.secretsapi.testing.TestStore;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 19, acceptance point 6: after a scripted session over real HTTP on loopback (an issue, a
 * verification, a reveal, refusals by the policy and by the token's limits and revocation, proxied
 * calls to a loopback upstream including a stream cut by a revocation, the revocation seen by a
 * second node on PostgreSQL, a webhook delivery, an open event stream, probes), every metric family
 * docs/metrics.md lists is on {@code /metrics} with a non-zero value, and every metric the Grafana
 * dashboard queries exists.
 */
class MetricsSessionTest {
  static final Path DASHBOARD = Path.of("..", "docs", "grafana", "secretsapi.json");

  /** The samples that must be non-zero on the node that served the session. */
  static final List<String> NON_ZERO =
      List.of(
          "secretsapi_http_requests_seconds_count",
          "secretsapi_grants_total",
          "secretsapi_refusals_total",
          "secretsapi_audit_commit_seconds_count",
          "secretsapi_audit_commit_seconds_bucket",
          "secretsapi_audit_commit_batch_size_count",
          "secretsapi_audit_commit_batch_size_sum",
          "secretsapi_proxy_calls_total",
          "secretsapi_proxy_upstream_seconds_count",
          "secretsapi_proxy_request_bytes_total",
          "secretsapi_proxy_response_bytes_total",
          "secretsapi_proxy_streams_cut_total",
          "secretsapi_event_streams_open",
          "secretsapi_probes_total",
          "jvm_memory_used_bytes",
          "jvm_gc_pause_seconds_count",
          "jvm_threads_live_threads",
          "jvm_classes_loaded_classes",
          "process_uptime_seconds",
          "process_files_open_files",
          "system_cpu_count");

  /**
   * Non-zero on the node that delivered: on PostgreSQL only the leader delivers, the first node
   * unless its lease lapsed on a busy machine.
   */
  static final List<String> NON_ZERO_ON_THE_LEADER =
      List.of("secretsapi_webhook_deliveries_total", "secretsapi_webhook_delivery_seconds_count");

  /**
   * Present whatever happened: a commit failure needs a failing store (GroupCommitTest makes one),
   * and CPU usage may read 0 between two samples.
   */
  static final List<String> PRESENT =
      List.of(
          "secretsapi_audit_commit_failures_total",
          "secretsapi_revocation_lag_seconds_count",
          "process_cpu_usage");

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void metrics_scriptedSession_everyFamilyIsPresentWithNonZeroValues(TestStore store)
      throws Exception {
    Map<String, String> config = new HashMap<>(WebhooksHttpTest.config());
    try (LoopbackUpstream up = new LoopbackUpstream();
        WebhooksHttpTest.Receiver receiver = new WebhooksHttpTest.Receiver()) {
      config.put("proxy.insecure_upstreams", up.host());
      try (TestServer s = TestServer.start(store, config);
          TestServer other = store == TestStore.POSTGRES ? s.otherNode() : null) {
        SecretsApiClient root = s.root();
        root.call("POST", "/webhooks", Map.of("url", receiver.url(), "events", List.of("policy")));
        var policy =
            root.send("PUT", "/policies/KEY-SCOPE-17", ProxyHttpTest.POLICY, "application/yaml");
        assertThat(policy.status()).as(policy.body()).isEqualTo(200);

        String cut =
            ProxyHttpTest.token(root, "openai", "sk-proj-metrics-cut-0123", up.host(), Map.of());
        String jti =
            root.call("POST", "/tokens/introspect", Map.of("token", cut)).get("jti").asString();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<InputStream> events =
            http.send(
                HttpRequest.newBuilder(URI.create(s.server().baseUrl() + "/access/events"))
                    .header("Authorization", "Bearer " + s.rootKey())
                    .header("Accept", "text/event-stream")
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(events.statusCode()).isEqualTo(200);
        BufferedReader eventLines =
            new BufferedReader(new InputStreamReader(events.body(), StandardCharsets.UTF_8));
        assertThat(eventLines.readLine()).startsWith(": secretsapi events");

        cutStream(s, up, http, cut, jti);
        String ok =
            ProxyHttpTest.token(
                root,
                "openai",
                "sk-proj-metrics-ok-0123",
                up.host(),
                Map.of("operations", List.of("proxy", "reveal")));
        assertThat(
                s.anonymous()
                    .call("POST", "/tokens/resolve", Map.of("token", ok))
                    .get("value")
                    .asString())
            .isEqualTo("sk-proj-metrics-ok-0123");
        assertThat(ProxyHttpTest.call(s, ok, "POST", up.host() + "/v1/chat", "{\"n\":1}").status())
            .isEqualTo(400); // the loopback upstream's own answer, passed through
        assertThat(ProxyHttpTest.call(s, ok, "GET", up.host() + "/v2/outside", null).status())
            .isEqualTo(403);
        assertThat(ProxyHttpTest.call(s, cut, "GET", up.host() + "/v1/chat", null).status())
            .isEqualTo(401);
        policyRefusal(root, ok);
        s.anonymous().send("GET", "/health/live", null, null);
        s.anonymous().send("GET", "/health/ready", null, null);
        WebhooksHttpTest.await(
            () -> delivered(Scrape.of(s)) + (other == null ? 0 : delivered(Scrape.of(other))) > 0);
        if (other != null) {
          WebhooksHttpTest.await(
              () -> Scrape.of(other).sum("secretsapi_revocation_lag_seconds_count") > 0);
        }
        System.gc(); // the broker runs in this JVM; its collector reports the pause asynchronously
        WebhooksHttpTest.await(() -> Scrape.of(s).sum("jvm_gc_pause_seconds_count") > 0);

        Scrape node = Scrape.of(s);
        for (String name : NON_ZERO) {
          assertThat(node.sum(name)).as(name + " on " + node.series(name)).isGreaterThan(0);
        }
        for (String name : PRESENT) {
          assertThat(node.names()).contains(name);
        }
        assertThat(node.sum("secretsapi_grants_total", "operation=\"issue\"")).isEqualTo(2);
        assertThat(node.sum("secretsapi_grants_total", "operation=\"proxy\"")).isEqualTo(2);
        assertThat(node.sum("secretsapi_grants_total", "operation=\"resolve\"")).isEqualTo(1);
        assertThat(node.sum("secretsapi_refusals_total", "rule=\"token_limit\"")).isEqualTo(1);
        assertThat(node.sum("secretsapi_refusals_total", "operation=\"issue\"", "rule=\"freeze\""))
            .isEqualTo(1);
        assertThat(node.sum("secretsapi_refusals_total", "rule=\"token_revoked\"")).isEqualTo(1);
        assertThat(node.sum("secretsapi_proxy_streams_cut_total", "host=\"" + up.host() + "\""))
            .isEqualTo(1);
        assertThat(node.sum("secretsapi_proxy_calls_total", "status=\"400\"")).isEqualTo(1);
        assertThat(node.sum("secretsapi_event_streams_open")).isEqualTo(1);
        Set<String> known = new TreeSet<>(node.names());
        Scrape second = other == null ? Scrape.of("") : Scrape.of(other);
        for (String name : NON_ZERO_ON_THE_LEADER) {
          assertThat(node.names()).contains(name);
          assertThat(node.sum(name) + second.sum(name)).as(name).isGreaterThan(0);
        }
        assertThat(delivered(node) + delivered(second)).isGreaterThan(0);
        if (other != null) {
          assertThat(second.sum("secretsapi_revocation_lag_seconds_count")).isGreaterThan(0);
          assertThat(second.sum("secretsapi_revocation_lag_seconds_sum"))
              .as("the lag is of one round trip, not of two clocks")
              .isLessThan(10);
          known.addAll(second.names());
        }
        assertThat(dashboardMetrics()).isNotEmpty().isSubsetOf(known);
        events.body().close();
      }
    }
  }

  /** A policy that refuses every issue, and an issue it refuses by its rule {@code freeze}. */
  private static void policyRefusal(SecretsApiClient root, String token) {
    var freeze =
        root.send(
            "PUT",
            "/policies/FREEZE",
            "{\"rules\":[{\"id\":\"freeze\",\"effect\":\"deny\",\"operations\":[\"issue\"]}]}",
            "application/json");
    assertThat(freeze.status()).as(freeze.body()).isEqualTo(200);
    String secretId =
        root.call("POST", "/tokens/introspect", Map.of("token", token)).get("secret_id").asString();
    var refused =
        root.send(
            "POST",
            "/tokens/issue",
            ProxyHttpTest.JSON.writeValueAsString(
                Map.of(
                    "secret_id", secretId,
                    "scope", "proxy",
                    "ttl", "5m",
                    "environment", "production")),
            "application/json");
    assertThat(refused.status()).as(refused.body()).isEqualTo(403);
  }

  private static double delivered(Scrape s) {
    return s.sum("secretsapi_webhook_deliveries_total", "outcome=\"delivered\"");
  }

  /** A stream that a revocation cuts: the first event arrives, then the token is revoked. */
  private static void cutStream(
      TestServer s, LoopbackUpstream up, HttpClient http, String token, String jti)
      throws Exception {
    HttpResponse<InputStream> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(s.server().baseUrl() + "/proxy/" + up.host() + "/v1/slow/stream"))
                .header("Authorization", "Bearer " + token)
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
    assertThat(in.readLine()).isEqualTo("data: first");
    s.root().call("POST", "/access/revoke", Map.of("token_id", jti));
    up.firstChunkSeen.countDown();
    StringBuilder tail = new StringBuilder();
    for (String l = in.readLine(); l != null; l = in.readLine()) {
      tail.append(l).append('\n');
    }
    assertThat(tail.toString()).doesNotContain("data: last");
  }

  /** Every metric name the dashboard's queries use. */
  static Set<String> dashboardMetrics() throws java.io.IOException {
    String json = Files.readString(DASHBOARD);
    Set<String> names = new TreeSet<>();
    Matcher expr = Pattern.compile("\"expr\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
    Pattern metric = Pattern.compile("\\b((?:secretsapi|jvm|process|system)_[a-z0-9_]+)\\b");
    while (expr.find()) {
      Matcher m = metric.matcher(expr.group(1));
      while (m.find()) {
        names.add(m.group(1));
      }
    }
    return names;
  }
}
