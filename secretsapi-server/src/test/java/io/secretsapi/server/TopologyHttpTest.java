package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.secretsapi.client.Response;
import io.secretsapi.client.SecretsApiClient;
import io.secretsapi.testing.TestStore;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * GET /topology and the trust zones over HTTP: a resource's state follows a validation, calls in
 * the last minute (a grant and a proxied call), a queued rotation, an exposure crossing and an open
 * incident; zones are set, refused by field and deleted; another account sees none of it.
 */
class TopologyHttpTest {
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final String VALUE = "sk-proj-CANARY-topology-0123456789";
  static final String POLICY =
      "rules:\n  - id: root-all\n    effect: allow\n    principals: [root]\n    operations: ['*']\n";

  /** A provider stand-in on loopback: 200 with an empty JSON object to every call. */
  static HttpServer provider() throws Exception {
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext(
        "/",
        ex -> {
          byte[] body = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    http.start();
    return http;
  }

  /** The resource named {@code host}, and the zone it is in, as {@code c} sees the topology. */
  static JsonNode node(SecretsApiClient c, String host) {
    for (JsonNode z : c.call("GET", "/topology", null).get("zones")) {
      for (JsonNode r : z.get("resources")) {
        if (r.get("name").asString().equals(host)) {
          ((tools.jackson.databind.node.ObjectNode) r).put("zone", z.get("name").asString());
          return r;
        }
      }
    }
    throw new AssertionError(host + " not in the topology");
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void topology_validationCallsRotationExposureIncident_stateFollows(TestStore store)
      throws Exception {
    HttpServer provider = provider();
    String host = "127.0.0.1:" + provider.getAddress().getPort();
    try (TestServer s =
        TestServer.start(
            store,
            Map.of(
                "proxy.insecure_upstreams",
                host,
                "validation.base_urls",
                "openai=http://" + host))) {
      SecretsApiClient root = s.root();
      assertThat(root.send("PUT", "/policies/KEY-SCOPE-17", POLICY, "application/yaml").status())
          .isEqualTo(200);
      String id =
          root.createSecret(
                  Map.of(
                      "name", "openai-prod-key",
                      "provider", "openai",
                      "resource_class", "model-access",
                      "environment", "production",
                      "value", VALUE))
              .get("id")
              .asString();
      Response scope =
          root.send(
              "POST",
              "/secrets/" + id + "/scope",
              JSON.writeValueAsString(
                  Map.of(
                      "name",
                      "model-access",
                      "operations",
                      List.of("proxy"),
                      "upstream",
                      Map.of("hosts", List.of(host), "path_prefixes", List.of("/v1")),
                      "max_ttl",
                      "15m")),
              "application/json");
      assertThat(scope.status()).as(scope.body()).isEqualTo(201);

      JsonNode scoped = node(root, host);
      assertThat(scoped.get("zone").asString()).isEqualTo("unassigned");
      assertThat(scoped.get("state").asString()).isEqualTo("scoped");
      assertThat(scoped.get("secrets").get(0).get("id").asString()).isEqualTo(id);
      assertThat(scoped.get("resource_classes").get(0).asString()).isEqualTo("model-access");

      JsonNode zone =
          root.call(
              "PUT",
              "/topology/zones/trust-boundary-02",
              Map.of("description", "model providers", "resources", List.of(host)));
      assertThat(zone.get("resources").get(0).asString()).isEqualTo(host);
      assertThat(node(root, host).get("zone").asString()).isEqualTo("trust-boundary-02");

      assertThat(root.call("POST", "/secrets/" + id + "/validate", null).get("status").asString())
          .isEqualTo("healthy");
      assertThat(node(root, host).get("state").asString()).isEqualTo("verified");

      String token =
          root.call(
                  "POST",
                  "/tokens/issue",
                  Map.of(
                      "secret_id",
                      id,
                      "scope",
                      "model-access",
                      "ttl",
                      "5m",
                      "environment",
                      "production"))
              .get("token")
              .asString();
      Response proxied =
          s.anonymous()
              .withKey(token)
              .send("POST", "/proxy/" + host + "/v1/chat", "{}", "application/json");
      assertThat(proxied.status()).as(proxied.body()).isEqualTo(200);
      JsonNode active = node(root, host);
      assertThat(active.get("state").asString()).isEqualTo("active");
      assertThat(active.get("rate_per_minute").asLong()).isEqualTo(2); // the grant, the call
      assertThat(active.get("state_reason").asString()).contains("on this node");

      s.server().core().rotations().close(); // no leader runs it: the rotation stays queued
      Response settings =
          root.send(
              "PUT",
              "/secrets/" + id + "/rotation",
              "{\"rotator\":\"generated\",\"grace\":\"15m\"}",
              "application/json");
      assertThat(settings.status()).as(settings.body()).isEqualTo(200);
      Response queued =
          root.send(
              "POST",
              "/secrets/" + id + "/rotate",
              "{\"reason\":\"quarterly\"}",
              "application/json",
              Map.of("Idempotency-Key", "topology-1"));
      assertThat(queued.status()).as(queued.body()).isEqualTo(202);
      String rotation = JSON.readTree(queued.body()).get("rotation_id").asString();
      JsonNode rotating = node(root, host);
      assertThat(rotating.get("state").asString()).isEqualTo("rotating");
      assertThat(rotating.get("state_reason").asString()).contains(rotation, "queued");

      root.call(
          "PUT",
          "/exposure/thresholds",
          Map.of("target_kind", "secret", "target", id, "threshold", 0.01));
      s.server().core().exposure().evaluate();
      JsonNode exposed = node(root, host);
      assertThat(exposed.get("state").asString()).isEqualTo("exposed");
      assertThat(exposed.get("state_reason").asString()).contains(id);

      String incident =
          root.call("POST", "/incidents", Map.of("secret_id", id, "reason", "key leaked"))
              .get("id")
              .asString();
      JsonNode blocked = node(root, host);
      assertThat(blocked.get("state").asString()).isEqualTo("blocked");
      assertThat(blocked.get("state_reason").asString()).startsWith("blocked by " + incident);

      JsonNode other = s.accountWith("secrets:read").call("GET", "/topology", null);
      assertThat(other.get("nodes").asInt()).isZero();
      assertThat(other.toString()).doesNotContain(id).doesNotContain(host);
      assertThat(s.root().call("GET", "/topology", null).toString()).doesNotContain("CANARY");
    } finally {
      provider.stop(0);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void putZone_badInput_problemNamingTheFieldAndNothingChanged(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      SecretsApiClient root = s.root();
      root.call(
          "PUT",
          "/topology/zones/zone-04",
          Map.of("description", "pii", "resources", List.of("customer-db.internal")));
      String before = root.call("GET", "/topology", null).toString();
      Map<String, String[]> bad =
          Map.of(
              "name", new String[] {"Zone_04", "{\"resources\":[]}"},
              "resources[1]",
                  new String[] {"zone-04", "{\"resources\":[\"api.openai.com\",\"not a host\"]}"},
              "resources", new String[] {"zone-04", "{\"description\":\"no list\"}"},
              "description",
                  new String[] {
                    "zone-04", "{\"description\":\"" + "x".repeat(501) + "\"," + "\"resources\":[]}"
                  });
      bad.forEach(
          (field, req) -> {
            Response r = root.send("PUT", "/topology/zones/" + req[0], req[1], "application/json");
            assertThat(r.status()).as(field + ": " + r.body()).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.body()).contains("\"field\":\"" + field + "\"");
          });
      Response reserved =
          root.send("PUT", "/topology/zones/unassigned", "{\"resources\":[]}", "application/json");
      assertThat(reserved.body()).contains("\"rule\":\"reserved\"");
      Response denied =
          s.accountWith("secrets:read")
              .send("PUT", "/topology/zones/zone-05", "{\"resources\":[]}", "application/json");
      assertThat(denied.status()).isEqualTo(403);
      assertThat(root.call("GET", "/topology", null).toString()).isEqualTo(before);

      assertThat(root.send("DELETE", "/topology/zones/zone-04", null, null).status())
          .isEqualTo(204);
      Response again = root.send("DELETE", "/topology/zones/zone-04", null, null);
      assertThat(again.status()).isEqualTo(404);
      JsonNode after = root.call("GET", "/topology", null);
      assertThat(after.get("zones")).hasSize(1);
      assertThat(after.get("zones").get(0).get("name").asString()).isEqualTo("unassigned");
      assertThat(after.get("nodes").asInt()).isZero();
    }
  }
}
