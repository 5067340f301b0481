package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.secretsapi.client.Response;
import io.secretsapi.client.SecretsApiClient;
import io.secretsapi.testing.TestStore;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The rotation engine over HTTP, run by the server's own leader loop. */
class RotationsHttpTest {
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final String OLD = "sk_live_HTTP_CANARY_3c5e7a9b1d2f4e68";

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void rotate_withSettingsAndKey_queuesOnceAndRunsToGrace(TestStore store) throws Exception {
    try (TestServer s = TestServer.start(store)) {
      SecretsApiClient root = s.root();
      String id = secret(root, "gen-http");
      Response put =
          root.send(
              "PUT",
              "/secrets/" + id + "/rotation",
              "{\"rotator\":\"generated\",\"length\":20,\"alphabet\":\"hex\",\"grace\":\"15m\"}",
              "application/json");
      assertThat(put.status()).as(put.body()).isEqualTo(200);

      Map<String, String> key = Map.of("Idempotency-Key", "deploy-42");
      Response first =
          root.send(
              "POST",
              "/secrets/" + id + "/rotate",
              "{\"reason\":\"quarterly\"}",
              "application/json",
              key);
      assertThat(first.status()).as(first.body()).isEqualTo(202);
      String rot = JSON.readTree(first.body()).get("rotation_id").asString();
      assertThat(rot).startsWith("ROT-");
      Response again =
          root.send(
              "POST",
              "/secrets/" + id + "/rotate",
              "{\"reason\":\"quarterly\"}",
              "application/json",
              key);
      assertThat(JSON.readTree(again.body()).get("rotation_id").asString()).isEqualTo(rot);

      JsonNode done = awaitState(root, rot, "previous");
      assertThat(done.get("to_version").asInt()).isEqualTo(2);
      assertThat(done.get("grace_until").isNull()).isFalse();
      JsonNode secret = root.call("GET", "/secrets/" + id, null);
      assertThat(secret.get("id").asString()).isEqualTo(id);
      assertThat(secret.get("current_version").asInt()).isEqualTo(2);
      JsonNode list = root.call("GET", "/rotations?secret_id=" + id + "&state=previous", null);
      assertThat(list.get("items")).hasSize(1);
      // existing clients: a value still rotates at once, as before
      Response now =
          root.send(
              "POST",
              "/secrets/" + id + "/rotate",
              "{\"value\":\"given-value-0123456789\"}",
              "application/json");
      assertThat(now.status()).as(now.body()).isEqualTo(200);
      assertThat(JSON.readTree(now.body()).get("status").asString()).isEqualTo("rotated");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void rotate_rotatorAnswersGarbage_failsWithOldValueServingAndBadInputIsProblem(TestStore store)
      throws Exception {
    HttpServer endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    endpoint.createContext(
        "/",
        ex -> {
          byte[] out = "not json at all".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, out.length);
          ex.getResponseBody().write(out);
          ex.close();
        });
    endpoint.start();
    try (TestServer s = TestServer.start(store, Map.of("webhooks.allow_internal", "true"))) {
      SecretsApiClient root = s.root();
      String id = secret(root, "webhook-http");
      String url = "http://127.0.0.1:" + endpoint.getAddress().getPort() + "/rotate";
      Response put =
          root.send(
              "PUT",
              "/secrets/" + id + "/rotation",
              "{\"rotator\":\"webhook\",\"webhook_url\":\"" + url + "\",\"timeout\":\"2s\"}",
              "application/json");
      assertThat(put.status()).as(put.body()).isEqualTo(200);
      assertThat(JSON.readTree(put.body()).get("signing_secret").asString()).startsWith("rsec_");
      JsonNode before = root.call("GET", "/secrets/" + id, null);

      Response q = root.send("POST", "/secrets/" + id + "/rotate", "{}", "application/json");
      assertThat(q.status()).as(q.body()).isEqualTo(202);
      String rot = JSON.readTree(q.body()).get("rotation_id").asString();
      JsonNode failed = awaitState(root, rot, "failed");
      assertThat(failed.get("failure").asString()).contains("garbage");
      JsonNode after = root.call("GET", "/secrets/" + id, null);
      assertThat(after.get("current_version").asInt()).isEqualTo(1);
      assertThat(after.get("fingerprint").asString())
          .isEqualTo(before.get("fingerprint").asString());

      problem(
          root.send(
              "PUT", "/secrets/" + id + "/rotation", "{\"rotator\":\"magic\"}", "application/json"),
          400,
          "rotator");
      problem(
          root.send(
              "PUT",
              "/secrets/" + id + "/rotation",
              "{\"rotator\":\"generated\",\"length\":4}",
              "application/json"),
          400,
          "length");
      problem(root.send("GET", "/rotations?state=done", null, null), 400, "state");
      assertThat(root.send("GET", "/rotations/ROT-nosuchrotation", null, null).status())
          .isEqualTo(404);
      assertThat(
              root.send(
                      "POST",
                      "/secrets/sec_nosuchsecret/rotate",
                      "{}",
                      "application/json",
                      Map.of("Idempotency-Key", "k"))
                  .status())
          .isEqualTo(404);
      assertThat(s.auditRecords().toString()).doesNotContain(OLD);
    } finally {
      endpoint.stop(0);
    }
  }

  private static void problem(Response r, int status, String field) throws Exception {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(JSON.readTree(r.body()).get("field").asString()).isEqualTo(field);
  }

  private static String secret(SecretsApiClient root, String name) {
    return root.createSecret(
            Map.of(
                "name", name,
                "provider", "stripe",
                "resource_class", "payments",
                "environment", "production",
                "value", OLD))
        .get("id")
        .asString();
  }

  /** Polls the rotation until the server's leader loop has moved it to {@code state}. */
  private static JsonNode awaitState(SecretsApiClient root, String id, String state)
      throws InterruptedException {
    long end = System.nanoTime() + 15_000_000_000L;
    JsonNode r = root.call("GET", "/rotations/" + id, null);
    while (!r.get("state").asString().equals(state) && System.nanoTime() < end) {
      Thread.sleep(25);
      r = root.call("GET", "/rotations/" + id, null);
    }
    assertThat(r.get("state").asString()).as(r.toString()).isEqualTo(state);
    return r;
  }
}
