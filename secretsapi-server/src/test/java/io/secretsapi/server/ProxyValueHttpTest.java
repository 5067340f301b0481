package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.client.Response;
import io.secretsapi.testing.TestStore;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Which value a proxied call injects when the secret changes between two calls. */
class ProxyValueHttpTest {
  static final String BODY = "{\"model\":\"gpt-4o\"}";

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void proxy_valueReplacedBetweenCalls_nextCallInjectsTheNewValueOnly(TestStore store)
      throws Exception {
    try (LoopbackUpstream up = new LoopbackUpstream();
        TestServer s = ProxyHttpTest.server(store, up)) {
      String old = "sk-proj-CANARY-old-0123456789abcdef";
      String token = ProxyHttpTest.token(s.root(), "openai", old, up.host(), Map.of());
      String id = secretOf(s, token);
      ProxyHttpTest.call(s, token, "POST", up.host() + "/v1/chat/completions", BODY);
      assertThat(up.got.get(0).get("authorization")).isEqualTo("Bearer " + old);

      String fresh = "sk-proj-CANARY-new-0123456789abcdef";
      Response put =
          s.root()
              .send(
                  "PUT",
                  "/secrets/" + id + "/value",
                  "{\"value\":\"" + fresh + "\"}",
                  "application/json");
      assertThat(put.status()).as(put.body()).isEqualTo(200);
      Response r = ProxyHttpTest.call(s, token, "POST", up.host() + "/v1/chat/completions", BODY);

      assertThat(r.status()).as(r.body()).isEqualTo(400); // the upstream's echo page
      assertThat(up.got.get(1).get("authorization"))
          .as("a replaced value is sealed at once: no call injects it after the replacement")
          .isEqualTo("Bearer " + fresh);
      assertThat(r.body()).doesNotContain(fresh).doesNotContain(old);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void proxy_secretDeletedAfterTheFirstCall_refusedAndNothingForwarded(TestStore store)
      throws Exception {
    try (LoopbackUpstream up = new LoopbackUpstream();
        TestServer s = ProxyHttpTest.server(store, up)) {
      String token =
          ProxyHttpTest.token(
              s.root(), "openai", "sk-proj-CANARY-del-0123456789abcdef", up.host(), Map.of());
      String id = secretOf(s, token);
      ProxyHttpTest.call(s, token, "POST", up.host() + "/v1/chat/completions", BODY);
      assertThat(s.root().send("DELETE", "/secrets/" + id, null, null).status()).isEqualTo(200);

      Response r = ProxyHttpTest.call(s, token, "POST", up.host() + "/v1/chat/completions", BODY);

      assertThat(r.status()).as(r.body()).isBetween(400, 499);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      assertThat(up.got).hasSize(1);
    }
  }

  private static String secretOf(TestServer s, String token) {
    return s.root()
        .call("POST", "/tokens/introspect", Map.of("token", token))
        .get("secret_id")
        .asString();
  }
}
