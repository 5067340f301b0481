package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.client.Response;
import io.secretsapi.testing.TestStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every method a scope may allow reaches the upstream: HEAD and OPTIONS as well as the others. */
class ProxyMethodsHttpTest {

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void proxy_headAndOptionsInTheScope_areForwardedWithTheKeyInjected(TestStore store)
      throws Exception {
    try (LoopbackUpstream up = new LoopbackUpstream();
        TestServer s = ProxyHttpTest.server(store, up)) {
      String value = "sk-proj-CANARY-head-0123456789";
      String token =
          ProxyHttpTest.token(
              s.root(),
              "openai",
              value,
              up.host(),
              Map.of(
                  "upstream",
                  Map.of(
                      "hosts",
                      List.of(up.host()),
                      "methods",
                      List.of("HEAD", "OPTIONS"),
                      "path_prefixes",
                      List.of("/v1"))));

      Response head = ProxyHttpTest.call(s, token, "HEAD", up.host() + "/v1/files/f1", null);
      Response options = ProxyHttpTest.call(s, token, "OPTIONS", up.host() + "/v1/files", null);

      assertThat(head.status()).as(head.body()).isEqualTo(200);
      assertThat(head.body()).isEmpty();
      assertThat(head.headers().firstValue("ETag")).hasValue("\"v1\"");
      assertThat(head.headers().firstValue("X-SecretsAPI-Audit-Ref")).isPresent();
      assertThat(options.status()).as(options.body()).isEqualTo(204);
      assertThat(options.headers().firstValue("Allow")).hasValue("GET, HEAD, OPTIONS");
      assertThat(up.got).hasSize(2);
      assertThat(up.got.get(0)).containsEntry(":method", "HEAD");
      assertThat(up.got.get(1)).containsEntry(":method", "OPTIONS");
      for (Map<String, String> seen : up.got) {
        assertThat(seen.get("authorization")).isEqualTo("Bearer " + value);
        assertThat(String.join(" ", seen.values())).doesNotContain(token);
      }
      // The same token cannot POST: its scope names HEAD and OPTIONS only.
      Response post = ProxyHttpTest.call(s, token, "POST", up.host() + "/v1/files", "{}");
      assertThat(post.status()).as(post.body()).isEqualTo(403);
      assertThat(up.got).hasSize(2);
      List<String> records = s.auditRecords();
      assertThat(records.stream().filter(r -> r.contains("\"type\":\"proxy.complete\"")))
          .anySatisfy(r -> assertThat(r).contains("HEAD 127.0.0.1"))
          .anySatisfy(r -> assertThat(r).contains("OPTIONS 127.0.0.1"));
      assertThat(records).noneMatch(r -> r.contains(value));
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void proxy_headOutsideTheScope_isRefusedAndNothingReachesTheUpstream(TestStore store)
      throws Exception {
    try (LoopbackUpstream up = new LoopbackUpstream();
        TestServer s = ProxyHttpTest.server(store, up)) {
      String token =
          ProxyHttpTest.token(
              s.root(), "openai", "sk-proj-get-post-0123456789", up.host(), Map.of());

      Response head = ProxyHttpTest.call(s, token, "HEAD", up.host() + "/v1/files/f1", null);
      Response options = ProxyHttpTest.call(s, token, "OPTIONS", up.host() + "/v1/files", null);

      assertThat(head.status()).isEqualTo(403);
      assertThat(head.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
      assertThat(options.status()).isEqualTo(403);
      assertThat(options.body()).contains("audit_ref").contains("OPTIONS");
      assertThat(up.got).isEmpty();
    }
  }
}
