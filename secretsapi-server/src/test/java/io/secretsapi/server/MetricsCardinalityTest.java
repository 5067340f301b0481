package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.client.SecretsApiClient;
import io.secretsapi.testing.TestStore;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 17, defect 5: an unauthenticated caller could grow {@code /metrics} without bound by
 * sending new method names (each became a series). Every label now takes its values from a fixed
 * set, so no sequence of requests adds series beyond it.
 */
class MetricsCardinalityTest {
  @ParameterizedTest
  @EnumSource(TestStore.class)
  void metrics_manyDistinctUnknownMethodsPathsAndIds_seriesAndSizeStayBounded(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      SecretsApiClient anon = s.anonymous();
      SecretsApiClient root = s.root();
      burst(anon, root, 0);
      Set<String> before = series(anon);
      int sizeBefore = anon.send("GET", "/metrics", null, null).body().length();

      burst(anon, root, 1);
      burst(anon, root, 2);
      burst(anon, root, 3);

      Set<String> after = series(anon);
      String body = anon.send("GET", "/metrics", null, null).body();
      assertThat(after).isEqualTo(before);
      assertThat(body.length()).isLessThan(sizeBefore + 2_000);
      assertThat(body).doesNotContain("QFOO", "nothing-here", "sec_unknown");
      assertThat(after).anyMatch(l -> l.contains("method=\"OTHER\""));
      assertThat(after).anyMatch(l -> l.contains("route=\"unmatched\""));
    }
  }

  /**
   * Issue 19: the proxy's, the gate's and the probes' series take no label from what a caller
   * sends: calls to hosts outside the token's scope, distinct paths and queries, garbage tokens,
   * unknown methods on probes.
   */
  @ParameterizedTest
  @EnumSource(TestStore.class)
  void metrics_proxyCallsWithCallerChosenHostsPathsAndTokens_seriesStayBounded(TestStore store)
      throws Exception {
    try (LoopbackUpstream up = new LoopbackUpstream();
        TestServer s = ProxyHttpTest.server(store, up)) {
      String token =
          ProxyHttpTest.token(s.root(), "openai", "sk-proj-cardinality-0123", up.host(), Map.of());
      proxyBurst(s, up, token, 0);
      Set<String> before = allSeries(s.anonymous());

      proxyBurst(s, up, token, 1);
      proxyBurst(s, up, token, 2);

      Set<String> after = allSeries(s.anonymous());
      assertThat(after).isEqualTo(before);
      String body = s.anonymous().send("GET", "/metrics", null, null).body();
      assertThat(body).doesNotContain("evil-", "/v1/x", "garbage", "QPROBE", "tok_");
      assertThat(after).anyMatch(l -> l.contains("host=\"" + up.host() + "\""));
      assertThat(after).anyMatch(l -> l.contains("rule=\"token_invalid\""));
      assertThat(after).anyMatch(l -> l.contains("rule=\"token_limit\""));
    }
  }

  private static void proxyBurst(TestServer s, LoopbackUpstream up, String token, int round) {
    for (int i = 0; i < 10; i++) {
      String n = round + "x" + i;
      ProxyHttpTest.call(s, token, "GET", "evil-" + n + ".example/v1/x", null);
      ProxyHttpTest.call(s, token, "POST", up.host() + "/v1/x" + n + "?q=" + n, "{}");
      ProxyHttpTest.call(s, "garbage" + n, "GET", up.host() + "/v1/x", null);
      s.anonymous().send("QPROBE" + n, "/health/ready", null, null);
      // a query the document does not declare, so sent past the tests' validating client
      SecretsApiClient.create(s.server().baseUrl(), null)
          .send("GET", "/metrics?x=" + n, null, null);
    }
  }

  /** Every secretsapi series on /metrics, without values. */
  private static Set<String> allSeries(SecretsApiClient anon) {
    return new TreeSet<>(
        Scrape.of(anon.send("GET", "/metrics", null, null).body()).samples().keySet().stream()
            .filter(k -> k.startsWith("secretsapi_"))
            .toList());
  }

  @Test
  void statusLabel_anyNumber_isAKnownCodeOrAClass() {
    assertThat(RequestLog.statusLabel(200)).isEqualTo("200");
    assertThat(RequestLog.statusLabel(404)).isEqualTo("404");
    assertThat(RequestLog.statusLabel(299)).isEqualTo("2xx");
    assertThat(RequestLog.statusLabel(599)).isEqualTo("5xx");
    assertThat(RequestLog.statusLabel(999)).isEqualTo("other");
    assertThat(RequestLog.statusLabel(42)).isEqualTo("other");
    Set<String> labels = new TreeSet<>();
    for (int i = -1000; i < 2000; i++) {
      labels.add(RequestLog.statusLabel(i));
    }
    assertThat(labels).hasSizeLessThan(50);
  }

  @Test
  void methodLabel_unknownMethod_isOther() {
    assertThat(RequestLog.methodLabel("GET")).isEqualTo("GET");
    assertThat(RequestLog.methodLabel("QFOO")).isEqualTo("OTHER");
    assertThat(RequestLog.methodLabel("get")).isEqualTo("OTHER");
  }

  /** Twenty distinct unknown methods, unknown paths and unknown ids, with and without a key. */
  private static void burst(SecretsApiClient anon, SecretsApiClient root, int round) {
    anon.send("GET", "/metrics", null, null);
    for (int i = 0; i < 20; i++) {
      String n = round + "x" + i;
      anon.send("QFOO" + n, "/health/live", null, null);
      anon.send("GET", "/nothing-here/" + n, null, null);
      anon.send("GET", "/secrets/sec_unknown" + n, null, null);
      root.send("GET", "/secrets/sec_unknown" + n, null, null);
      root.send("BAR" + n, "/secrets", null, null);
      root.send("POST", "/api-keys/sk_unknown" + n + "/revoke", null, null);
    }
  }

  private static Set<String> series(SecretsApiClient anon) {
    Set<String> names = new TreeSet<>();
    for (String line : anon.send("GET", "/metrics", null, null).body().split("\n")) {
      if (line.startsWith("secretsapi_http_requests")) {
        names.add(line.substring(0, line.lastIndexOf(' ')));
      }
    }
    return names;
  }
}
