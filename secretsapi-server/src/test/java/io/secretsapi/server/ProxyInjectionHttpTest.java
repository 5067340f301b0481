package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.client.Response;
import io.secretsapi.client.SecretsApiClient;
import io.secretsapi.testing.TestStore;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * A secret's own injection template: a named header, HTTP basic with a pair, or a query parameter,
 * set at creation or later, against a loopback upstream that echoes what it received.
 */
class ProxyInjectionHttpTest {
  static final String BODY = "{\"model\":\"m\"}";

  /** A secret with {@code injection} (null: the preset), and a proxy token for it. */
  static String[] secretAndToken(
      SecretsApiClient root,
      String provider,
      String value,
      String host,
      Map<String, Object> injection) {
    Map<String, Object> body = new HashMap<>();
    body.put("name", "inj-" + Math.abs(value.hashCode()));
    body.put("provider", provider);
    body.put("resource_class", "model-access");
    body.put("environment", "production");
    body.put("value", value);
    if (injection != null) {
      body.put("injection", injection);
    }
    String id = root.createSecret(body).get("id").asString();
    return new String[] {id, ProxyHttpTest.tokenFor(root, id, host, Map.of(), "5m")};
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void proxy_secretsOwnTemplate_injectsWhereTheSecretSaysAndNeverReturnsIt(TestStore store)
      throws Exception {
    try (LoopbackUpstream up = new LoopbackUpstream();
        TestServer s = ProxyHttpTest.server(store, up)) {
      // A value with characters a query string must encode: its encoded spellings are redacted too.
      String queryValue = "AIza-CANARY+q/1=2&x y";
      Map<String, Map<String, Object>> templates =
          Map.of(
              "azure-openai-CANARY-0123456789",
              Map.of("in", "header", "name", "api-key"),
              "gl-CANARY-0123456789",
              Map.of("in", "header", "name", "Authorization", "template", "Token {value}"),
              "mg-CANARY-0123456789",
              Map.of("in", "basic", "template", "api:{value}"),
              queryValue,
              Map.of("in", "query", "name", "key"));
      List<String> spellings =
          List.of(
              queryValue,
              URLEncoder.encode(queryValue, StandardCharsets.UTF_8),
              URLEncoder.encode(queryValue, StandardCharsets.UTF_8).replace("+", "%20"));
      for (var e : templates.entrySet()) {
        String value = e.getKey();
        String[] idAndToken = secretAndToken(s.root(), "custom", value, up.host(), e.getValue());
        int before = up.got.size();

        Response r =
            s.anonymous()
                .withKey(idAndToken[1])
                .send(
                    "POST",
                    "/proxy/" + up.host() + "/v1/chat?key=the-callers-own&alt=json",
                    BODY,
                    "application/json");

        assertThat(r.status()).as(value + ": " + r.body()).isEqualTo(400); // the echo page
        Map<String, String> seen = up.got.get(before);
        switch (e.getValue().get("in").toString()) {
          case "header" -> {
            String name = e.getValue().get("name").toString().toLowerCase();
            String expected =
                String.valueOf(e.getValue().getOrDefault("template", "{value}"))
                    .replace("{value}", value);
            assertThat(seen.get(name)).isEqualTo(expected);
            assertThat(seen.get(":query")).isEqualTo("key=the-callers-own&alt=json");
          }
          case "basic" ->
              assertThat(seen.get("authorization"))
                  .isEqualTo(
                      "Basic "
                          + Base64.getEncoder()
                              .encodeToString(("api:" + value).getBytes(StandardCharsets.UTF_8)));
          default -> {
            assertThat(seen.get(":query"))
                .as("the caller's own key is dropped, the secret's appended")
                .isEqualTo("alt=json&key=" + spellings.get(2));
            assertThat(seen).doesNotContainKey("authorization");
          }
        }
        assertThat(String.join(" ", seen.values())).doesNotContain(idAndToken[1]);
        assertThat(r.body()).contains("[redacted]");
        for (String spelling : value.equals(queryValue) ? spellings : List.of(value)) {
          assertThat(r.body()).as("echo of " + spelling).doesNotContain(spelling);
          assertThat(r.headers().map().toString()).doesNotContain(spelling);
        }
        JsonNode view = s.root().call("GET", "/secrets/" + idAndToken[0], null);
        assertThat(view.get("injection").get("in").asString()).isEqualTo(e.getValue().get("in"));
        assertThat(view.get("injection").get("source").asString()).isEqualTo("secret");
        assertThat(view.toString()).doesNotContain(value);
      }
      List<String> records = s.auditRecords();
      for (String v : templates.keySet()) {
        assertThat(records).noneMatch(x -> x.contains(v));
        assertThat(CapturingAppender.lines()).noneMatch(x -> x.contains(v));
      }
      for (String v : spellings) {
        assertThat(records).noneMatch(x -> x.contains(v));
        assertThat(CapturingAppender.lines()).noneMatch(x -> x.contains(v));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void proxy_tokenInTheSdksOwnKeyHeader_acceptedAndNeverForwarded(TestStore store)
      throws Exception {
    try (LoopbackUpstream up = new LoopbackUpstream();
        TestServer s = ProxyHttpTest.server(store, up)) {
      // Azure OpenAI's SDK sends its key as api-key; Google's as x-goog-api-key.
      Map<String, Map<String, Object>> sdks =
          Map.of(
              "api-key", Map.of("in", "header", "name", "api-key"),
              "x-goog-api-key", Map.of("in", "query", "name", "key"));
      for (var e : sdks.entrySet()) {
        String value = "CANARY-" + e.getKey() + "-0123456789";
        String token = secretAndToken(s.root(), "custom", value, up.host(), e.getValue())[1];
        int before = up.got.size();

        Response r =
            s.anonymous()
                .send(
                    "POST",
                    "/proxy/" + up.host() + "/v1/chat",
                    BODY,
                    "application/json",
                    Map.of(e.getKey(), token));

        assertThat(r.status()).as(e.getKey() + ": " + r.body()).isEqualTo(400); // the echo page
        Map<String, String> seen = up.got.get(before);
        assertThat(String.join(" ", seen.values())).doesNotContain(token).contains(value);
        assertThat(r.body()).doesNotContain(value);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void proxy_valueAHeaderCannotCarry_refusedNamingTheHeaderAndNothingLeaves(TestStore store)
      throws Exception {
    try (LoopbackUpstream up = new LoopbackUpstream();
        TestServer s = ProxyHttpTest.server(store, up)) {
      String value = "pem-CANARY-first-line\nsecond-line";
      String[] idAndToken = secretAndToken(s.root(), "openai", value, up.host(), null);
      String id = idAndToken[0];

      Response refused = ProxyHttpTest.call(s, idAndToken[1], "POST", up.host() + "/v1/chat", BODY);
      s.root()
          .send(
              "PUT",
              "/policies/VALIDATION",
              ValidationHttpTest.VALIDATE_POLICY,
              "application/yaml");
      ValidationHttpTest.endpoint(s.root(), id, "http://" + up.host() + "/v1/models");
      JsonNode probe = s.root().call("POST", "/secrets/" + id + "/validate", Map.of());

      assertThat(refused.status()).as(refused.body()).isEqualTo(502);
      assertThat(refused.body())
          .contains("Authorization header cannot carry")
          .contains("audit_ref")
          .doesNotContain("CANARY");
      assertThat(probe.get("status").asString()).isEqualTo("validation failed");
      assertThat(probe.get("reason").asString()).contains("header cannot carry");
      assertThat(up.got).as("nothing left with a mangled key").isEmpty();

      // As basic's pair the value travels base64-encoded, whole.
      s.root().call("PUT", "/secrets/" + id + "/injection", Map.of("in", "basic"));
      Response sent = ProxyHttpTest.call(s, idAndToken[1], "POST", up.host() + "/v1/chat", BODY);
      assertThat(sent.status()).as(sent.body()).isEqualTo(400); // the echo page
      assertThat(up.got.get(0).get("authorization"))
          .isEqualTo(
              "Basic "
                  + Base64.getEncoder()
                      .encodeToString((value + ":").getBytes(StandardCharsets.UTF_8)));
      assertThat(s.auditRecords()).noneMatch(x -> x.contains("CANARY"));
      assertThat(CapturingAppender.lines()).noneMatch(x -> x.contains("CANARY-first"));
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void putInjection_betweenTwoCalls_nextCallInjectsTheNewWayAndTheChangeIsRecorded(TestStore store)
      throws Exception {
    try (LoopbackUpstream up = new LoopbackUpstream();
        TestServer s = ProxyHttpTest.server(store, up)) {
      String value = "sk-CANARY-switch-0123456789";
      String[] idAndToken = secretAndToken(s.root(), "openai", value, up.host(), null);
      String id = idAndToken[0];
      ProxyHttpTest.call(s, idAndToken[1], "POST", up.host() + "/v1/chat", BODY);
      assertThat(up.got.get(0).get("authorization")).isEqualTo("Bearer " + value);
      assertThat(
              s.root()
                  .call("GET", "/secrets/" + id, null)
                  .get("injection")
                  .get("source")
                  .asString())
          .isEqualTo("preset");

      JsonNode changed =
          s.root().call("PUT", "/secrets/" + id + "/injection", Map.of("in", "query", "name", "k"));
      ProxyHttpTest.call(s, idAndToken[1], "POST", up.host() + "/v1/chat", BODY);
      Response back = s.root().send("DELETE", "/secrets/" + id + "/injection", null, null);
      ProxyHttpTest.call(s, idAndToken[1], "POST", up.host() + "/v1/chat", BODY);

      assertThat(changed.get("injection").get("name").asString()).isEqualTo("k");
      assertThat(up.got.get(1).get(":query")).isEqualTo("k=" + value);
      assertThat(up.got.get(1)).doesNotContainKey("authorization");
      assertThat(back.status()).as(back.body()).isEqualTo(200);
      assertThat(up.got.get(2).get("authorization")).isEqualTo("Bearer " + value);
      List<String> records = s.auditRecords();
      assertThat(records.stream().filter(x -> x.contains("\"type\":\"secret.injection\"")))
          .hasSize(2)
          .anyMatch(x -> x.contains("query parameter k"));
      assertThat(records).noneMatch(x -> x.contains(value));
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void injection_brokenTemplate_problemNamingTheFieldAndRuleAndNothingChanges(TestStore store)
      throws Exception {
    try (LoopbackUpstream up = new LoopbackUpstream();
        TestServer s = ProxyHttpTest.server(store, up)) {
      String id =
          secretAndToken(s.root(), "openai", "sk-CANARY-bad-0123456789", up.host(), null)[0];
      Map<String, String[]> cases = new java.util.LinkedHashMap<>();
      cases.put("{}", new String[] {"injection.in", "required"});
      cases.put("{\"in\":\"cookie\",\"name\":\"a\"}", new String[] {"injection.in", "enum"});
      cases.put(
          "{\"in\":\"header\",\"name\":\"Host\"}", new String[] {"injection.name", "reserved"});
      cases.put(
          "{\"in\":\"header\",\"name\":\"Transfer-Encoding\"}",
          new String[] {"injection.name", "reserved"});
      cases.put(
          "{\"in\":\"header\",\"name\":\"a b\"}", new String[] {"injection.name", "header_name"});
      cases.put(
          "{\"in\":\"header\",\"name\":\"X-Key\",\"template\":\"Bearer\"}",
          new String[] {"injection.template", "one_value"});
      cases.put(
          "{\"in\":\"header\",\"name\":\"X-Key\",\"template\":\"{value}\\r\\nX-Evil: 1\"}",
          new String[] {"injection.template", "visible_ascii"});
      cases.put(
          "{\"in\":\"basic\",\"template\":\"{value}\"}",
          new String[] {"injection.template", "basic_pair"});
      cases.put(
          "{\"in\":\"query\",\"name\":\"a&b\"}", new String[] {"injection.name", "query_name"});
      long before = changes(s);
      for (var c : cases.entrySet()) {
        Response put =
            s.root().send("PUT", "/secrets/" + id + "/injection", c.getKey(), "application/json");
        Response create =
            s.root()
                .send(
                    "POST",
                    "/secrets",
                    "{\"name\":\"never\",\"provider\":\"x\",\"resource_class\":\"a\","
                        + "\"environment\":\"production\",\"value\":\"v-0123456789\","
                        + "\"injection\":"
                        + c.getKey()
                        + "}",
                    "application/json");
        for (Response r : List.of(put, create)) {
          assertThat(r.status()).as(c.getKey() + " " + r.body()).isEqualTo(400);
          assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
          JsonNode p = ProxyHttpTest.JSON.readTree(r.body());
          assertThat(p.get("field").asString()).as(c.getKey()).isEqualTo(c.getValue()[0]);
          assertThat(p.get("rule").asString()).as(c.getKey()).isEqualTo(c.getValue()[1]);
        }
      }
      assertThat(
              s.root()
                  .call("GET", "/secrets/" + id, null)
                  .get("injection")
                  .get("source")
                  .asString())
          .isEqualTo("preset");
      assertThat(s.root().call("GET", "/secrets?sort=name", null).get("total").asLong())
          .isEqualTo(1);
      assertThat(changes(s)).as("no secret stored or changed").isEqualTo(before);
    }
  }

  private static long changes(TestServer s) {
    return s.auditRecords().stream()
        .filter(
            x ->
                x.contains("\"type\":\"secret.injection\"")
                    || x.contains("\"type\":\"secret.create\""))
        .count();
  }
}
