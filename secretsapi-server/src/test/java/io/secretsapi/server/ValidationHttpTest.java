package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.secretsapi.client.Response;
import io.secretsapi.client.SecretsApiClient;
import io.secretsapi.testing.TestStore;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Validation probes against loopback upstreams that imitate each provider's check. */
class ValidationHttpTest {
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final String GOOD = "good-key-0123456789abcdef";

  /** Answers 200 when the provider's header carries {@link #GOOD}, else 401. */
  static final class Providers implements AutoCloseable {
    final HttpServer http;
    final List<String> seen = new CopyOnWriteArrayList<>();

    Providers() throws Exception {
      http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      http.createContext(
          "/",
          ex -> {
            String path = ex.getRequestURI().getPath();
            var h = ex.getRequestHeaders();
            String auth = String.valueOf(h.getFirst("Authorization"));
            boolean ok =
                switch (path) {
                  case "/v1/models" ->
                      auth.equals("Bearer " + GOOD)
                          || (GOOD.equals(h.getFirst("x-api-key"))
                              && "2023-06-01".equals(h.getFirst("anthropic-version")));
                  case "/v1/balance" ->
                      auth.equals(
                          "Basic "
                              + Base64.getEncoder()
                                  .encodeToString((GOOD + ":").getBytes(StandardCharsets.UTF_8)));
                  case "/client/v4/user/tokens/verify", "/user", "/ping" ->
                      auth.equals("Bearer " + GOOD);
                  case "/search" ->
                      String.valueOf(ex.getRequestURI().getRawQuery()).contains("key=" + GOOD);
                  case "/deployments" -> GOOD.equals(h.getFirst("api-key"));
                  default -> false;
                };
            seen.add(ex.getRequestMethod() + " " + path);
            byte[] b = ("{\"echo\":\"" + auth + "\"}").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(ok ? 200 : 401, b.length);
            ex.getResponseBody().write(b);
            ex.close();
          });
      http.start();
    }

    String base() {
      return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    @Override
    public void close() {
      http.stop(0);
    }
  }

  /** Lets root validate every secret. */
  static final String VALIDATE_POLICY =
      """
      id: VALIDATION
      rules:
        - id: root-validates
          effect: allow
          principals: ["root"]
          operations: [validate]
      """;

  static TestServer server(TestStore store, Providers p, String rotationPeriod) {
    TestServer s = bare(store, p, rotationPeriod);
    Response put =
        s.root().send("PUT", "/policies/VALIDATION", VALIDATE_POLICY, "application/yaml");
    assertThat(put.status()).as(put.body()).isEqualTo(200);
    return s;
  }

  /** A server with no policy: the gate refuses every validation. */
  static TestServer bare(TestStore store, Providers p, String rotationPeriod) {
    String base = p.base();
    return TestServer.start(
        store,
        Map.of(
            "proxy.insecure_upstreams",
            base.substring("http://".length()),
            "validation.base_urls",
            "openai="
                + base
                + ",anthropic="
                + base
                + ",stripe="
                + base
                + ",cloudflare="
                + base
                + ",github="
                + base,
            "validation.rotation_period",
            rotationPeriod));
  }

  static String secret(SecretsApiClient root, String provider, String value) {
    return root.createSecret(
            Map.of(
                "name",
                provider + "-" + Math.abs(value.hashCode()),
                "provider",
                provider,
                "resource_class",
                "api",
                "environment",
                "production",
                "value",
                value))
        .get("id")
        .asString();
  }

  static JsonNode validate(SecretsApiClient root, String id, Map<String, Object> body) {
    return root.call("POST", "/secrets/" + id + "/validate", body);
  }

  static JsonNode endpoint(SecretsApiClient root, String id, String url) {
    return root.call("PUT", "/secrets/" + id + "/validation-endpoint", Map.of("url", url));
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void validate_eachPreset_healthyWithTheRightKeyFailedWithAWrongOne(TestStore store)
      throws Exception {
    try (Providers p = new Providers();
        TestServer s = server(store, p, "90d")) {
      for (String provider : List.of("openai", "anthropic", "stripe", "cloudflare", "github")) {
        JsonNode ok = validate(s.root(), secret(s.root(), provider, GOOD), Map.of());
        assertThat(ok.get("status").asString()).as(provider).isEqualTo("healthy");
        assertThat(ok.get("preset").asString()).isEqualTo(provider);
        assertThat(ok.toString()).doesNotContain(GOOD);
        String bad = secret(s.root(), provider, "wrong-key-0123456789abcdef");
        JsonNode failed = validate(s.root(), bad, Map.of());
        assertThat(failed.get("status").asString()).isEqualTo("validation failed");
        assertThat(failed.get("reason").asString()).contains("refused the key (HTTP 401)");
        JsonNode last = s.root().call("GET", "/secrets/" + bad + "/validation", null);
        assertThat(last.get("status").asString()).isEqualTo("validation failed");
        assertThat(last.get("checked_at").asString()).isNotBlank();
      }
      assertThat(p.seen)
          .contains(
              "GET /v1/models",
              "GET /v1/balance",
              "GET /client/v4/user/tokens/verify",
              "GET /user");

      String generic = secret(s.root(), "logicboxes", GOOD);
      Response noUrl =
          s.root().send("POST", "/secrets/" + generic + "/validate", "{}", "application/json");
      assertThat(noUrl.status()).isEqualTo(400);
      assertThat(JSON.readTree(noUrl.body()).get("field").asString()).isEqualTo("validation_url");
      endpoint(s.root(), generic, p.base() + "/ping");
      JsonNode scheduled = validate(s.root(), generic, Map.of("every", "6h"));
      assertThat(scheduled.get("status").asString()).isEqualTo("healthy");
      assertThat(scheduled.get("preset").asString()).isEqualTo("http");
      assertThat(scheduled.get("every").asString()).isEqualTo("6h");
      assertThat(scheduled.get("next_check_at").asString()).isNotBlank();

      endpoint(s.root(), generic, "https://localhost:" + p.http.getAddress().getPort() + "/ping");
      JsonNode internal = validate(s.root(), generic, Map.of());
      assertThat(internal.get("status").asString()).isEqualTo("validation failed");
      assertThat(internal.get("reason").asString()).contains("internal address");

      List<String> records = s.auditRecords();
      assertThat(records).anyMatch(r -> r.contains("\"type\":\"secret.validate\""));
      assertThat(records).noneMatch(r -> r.contains(GOOD));
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void validate_currentVersionOlderThanTheRotationPeriod_isRotationDue(TestStore store)
      throws Exception {
    try (Providers p = new Providers();
        TestServer s = server(store, p, "1s")) {
      String id = secret(s.root(), "openai", GOOD);
      Thread.sleep(1_100);
      JsonNode v = validate(s.root(), id, Map.of());
      assertThat(v.get("status").asString()).isEqualTo("rotation due");
      assertThat(v.get("reason").asString()).contains("older than the rotation period");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void validate_secretWithItsOwnInjection_probesWithTheKeyWhereTheSecretSays(TestStore store)
      throws Exception {
    try (Providers p = new Providers();
        TestServer s = server(store, p, "90d")) {
      String query = secret(s.root(), "gemini", GOOD);
      String header = secret(s.root(), "azure-openai", GOOD);
      s.root()
          .call("PUT", "/secrets/" + query + "/injection", Map.of("in", "query", "name", "key"));
      s.root()
          .call(
              "PUT",
              "/secrets/" + header + "/injection",
              Map.of("in", "header", "name", "api-key"));

      endpoint(s.root(), query, p.base() + "/search?q=1");
      endpoint(s.root(), header, p.base() + "/deployments");
      JsonNode q = validate(s.root(), query, Map.of());
      JsonNode h = validate(s.root(), header, Map.of());

      assertThat(q.get("status").asString()).as(q.toString()).isEqualTo("healthy");
      assertThat(h.get("status").asString()).as(h.toString()).isEqualTo("healthy");
      assertThat(q.toString() + h).doesNotContain(GOOD);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void runDue_scheduledValidationComesDue_probesOnceEvenWhenTwoRunsRace(TestStore store)
      throws Exception {
    try (Providers p = new Providers();
        TestServer s = server(store, p, "90d")) {
      String id = secret(s.root(), "openai", GOOD);
      JsonNode first = validate(s.root(), id, Map.of("every", "5m"));
      int probes = p.seen.size();
      long due = System.currentTimeMillis() - 1; // as if the five minutes had passed
      s.server()
          .database()
          .inTransaction(
              h ->
                  h.createUpdate(
                          "UPDATE secret_validations SET next_check_at = :t WHERE secret_id = :id")
                      .bind("t", due)
                      .bind("id", id)
                      .execute());

      // two runs at once, as two nodes sharing the store would
      ExecutorService nodes = Executors.newFixedThreadPool(2);
      try {
        CyclicBarrier together = new CyclicBarrier(2);
        Callable<Integer> run =
            () -> {
              together.await();
              return s.server().validator().runDue();
            };
        var a = nodes.submit(run);
        var b = nodes.submit(run);
        assertThat(a.get() + b.get()).isLessThanOrEqualTo(1);
      } finally {
        nodes.shutdownNow();
      }

      assertThat(p.seen.subList(probes, p.seen.size())).containsExactly("GET /v1/models");
      JsonNode last = s.root().call("GET", "/secrets/" + id + "/validation", null);
      assertThat(last.get("status").asString()).isEqualTo("healthy");
      assertThat(Instant.parse(last.get("checked_at").asString()))
          .isAfter(Instant.parse(first.get("checked_at").asString()));
      assertThat(Instant.parse(last.get("next_check_at").asString()))
          .isAfter(Instant.ofEpochMilli(due).plus(Duration.ofMinutes(4)));
      assertThat(s.server().validator().runDue()).as("not due again for 5m").isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void validate_readKeyNamesItsOwnUrl_isRefusedAndNothingReachesIt(TestStore store)
      throws Exception {
    try (Providers p = new Providers();
        Providers attacker = new Providers();
        TestServer s = server(store, p, "90d")) {
      String id = secret(s.root(), "logicboxes", GOOD);
      SecretsApiClient reader =
          s.root()
              .withKey(
                  s.root()
                      .createApiKey(Map.of("name", "reader", "scopes", List.of("secrets:read")))
                      .get("key")
                      .asString());

      Response byUrl =
          reader.send(
              "POST",
              "/secrets/" + id + "/validate",
              "{\"url\":\"" + attacker.base() + "/ping\",\"every\":\"5m\"}",
              "application/json");
      assertThat(byUrl.status()).isEqualTo(400);
      assertThat(JSON.readTree(byUrl.body()).get("field").asString()).isEqualTo("url");
      Response setByReader =
          reader.send(
              "PUT",
              "/secrets/" + id + "/validation-endpoint",
              "{\"url\":\"" + attacker.base() + "/ping\"}",
              "application/json");
      assertThat(setByReader.status()).isEqualTo(403);
      assertThat(s.root().call("GET", "/secrets/" + id + "/validation", null).toString())
          .contains("not validated");
      assertThat(attacker.seen).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void validate_policyAllowsNoValidation_isRefusedByTheGateAndRecorded(TestStore store)
      throws Exception {
    try (Providers p = new Providers();
        TestServer s = bare(store, p, "90d")) {
      String id = secret(s.root(), "openai", GOOD);
      Response denied =
          s.root().send("POST", "/secrets/" + id + "/validate", "{}", "application/json");
      assertThat(denied.status()).isEqualTo(403);
      assertThat(denied.body()).contains("policy-denied").contains("AU-");
      assertThat(p.seen).isEmpty();
      assertThat(s.auditRecords())
          .anyMatch(r -> r.contains("\"type\":\"secret.validate\"") && r.contains("\"deny\""));
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void runDue_policyWithdrawnAfterScheduling_probesNothing(TestStore store) throws Exception {
    try (Providers p = new Providers();
        TestServer s = server(store, p, "90d")) {
      String id = secret(s.root(), "openai", GOOD);
      validate(s.root(), id, Map.of("every", "5m"));
      int probes = p.seen.size();
      s.root()
          .send(
              "PUT",
              "/policies/VALIDATION",
              VALIDATE_POLICY.replace("effect: allow", "effect: deny"),
              "application/yaml");
      s.server()
          .database()
          .inTransaction(
              h -> h.createUpdate("UPDATE secret_validations SET next_check_at = 1").execute());

      assertThat(s.server().validator().runDue()).isZero();

      assertThat(p.seen).hasSize(probes);
      JsonNode last = s.root().call("GET", "/secrets/" + id + "/validation", null);
      assertThat(last.get("reason").asString()).contains("policy gate refused");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void runDue_schedulersServiceAccountRevoked_probesNothing(TestStore store) throws Exception {
    try (Providers p = new Providers();
        TestServer s = server(store, p, "90d")) {
      SecretsApiClient owner = s.accountWith("secrets:read", "secrets:write");
      String id = secret(owner, "openai", GOOD);
      String account =
          owner.call("GET", "/service-accounts", null).get("items").get(0).get("id").asString();
      String principal =
          owner.call("GET", "/service-accounts", null).get("items").get(0).get("name").asString();
      s.root()
          .send(
              "PUT",
              "/policies/OWNER-VALIDATES",
              "rules:\n  - id: r\n    effect: allow\n    principals: ["
                  + principal
                  + "]\n    operations: [validate]\n",
              "application/yaml");
      validate(owner, id, Map.of("every", "5m"));
      int probes = p.seen.size();
      s.root().call("POST", "/service-accounts/" + account + "/revoke", null);
      s.server()
          .database()
          .inTransaction(
              h -> h.createUpdate("UPDATE secret_validations SET next_check_at = 1").execute());

      assertThat(s.server().validator().runDue()).isZero();

      assertThat(p.seen).hasSize(probes);
      JsonNode last = s.root().call("GET", "/secrets/" + id + "/validation", null);
      assertThat(last.get("reason").asString()).contains("is revoked");
      JsonNode next = last.get("next_check_at");
      assertThat(next == null || next.isNull()).as("the schedule ended: " + last).isTrue();
    }
  }
}
