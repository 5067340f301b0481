package io.secretsapi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.secretsapi.client.Response;
import io.secretsapi.client.SecretsApiClient;
import io.secretsapi.testing.TestDatabases;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * kill -9 of a real broker process at a random instant of a rotation (the webhook rotator's
 * endpoint answers after a random delay, so the kill lands before, during or after the call and the
 * promotion): after a restart on the same store, exactly one version is current (the old or the
 * new), and the rotation goes on to its grace window or fails cleanly.
 */
class RotationKillTest {
  static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * Kills per run: each costs a broker start (2 to 3 s on an idle machine); the instant is random
   * per run, and the seed is in every assertion's label.
   */
  static final int ROUNDS = 1;

  @Test
  void killDashNine_atRandomPointsOfARotation_oldOrNewCurrentAndRotationEndsCleanly()
      throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    AtomicInteger made = new AtomicInteger();
    HttpServer endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    endpoint.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    endpoint.createContext(
        "/",
        ex -> {
          try {
            Thread.sleep(random.nextInt(300));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          byte[] out =
              ("{\"value\":\"rotated-value-" + made.incrementAndGet() + "-0123456789\"}")
                  .getBytes(StandardCharsets.UTF_8);
          try {
            ex.sendResponseHeaders(200, out.length);
            ex.getResponseBody().write(out);
          } catch (java.io.IOException gone) {
            // the broker was killed while waiting
          }
          ex.close();
        });
    endpoint.start();
    Path dir = TestDatabases.tempDir("rotation-kill-");
    int port = BrokerProcess.freePort();
    Path config = BrokerProcess.sqliteConfig(dir, port);
    Files.writeString(config, Files.readString(config) + "webhooks:\n  allow_internal: true\n");
    BrokerProcess broker = BrokerProcess.start(config, port, true);
    String rootKey = broker.rootKey;
    try {
      SecretsApiClient client = SecretsApiClient.create("http://127.0.0.1:" + port, rootKey);
      String id =
          client
              .createSecret(
                  Map.of(
                      "name", "killed-mid-rotation",
                      "provider", "stripe",
                      "resource_class", "payments",
                      "environment", "production",
                      "value", "the-old-value-0123456789"))
              .get("id")
              .asString();
      client.call(
          "PUT",
          "/secrets/" + id + "/rotation",
          Map.of(
              "rotator",
              "webhook",
              "webhook_url",
              "http://127.0.0.1:" + endpoint.getAddress().getPort() + "/rotate",
              "timeout",
              "5s"));
      for (int round = 0; round < ROUNDS; round++) {
        int before = currentVersion(client, id);
        Response q = client.send("POST", "/secrets/" + id + "/rotate", "{}", "application/json");
        assertThat(q.status()).as(q.body()).isEqualTo(202);
        String rot = JSON.readTree(q.body()).get("rotation_id").asString();
        Thread.sleep(random.nextInt(900)); // the kill lands at a random point of the rotation
        broker.process.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook runs

        broker = BrokerProcess.start(config, port, false);
        client = SecretsApiClient.create("http://127.0.0.1:" + port, rootKey);
        JsonNode versions = client.call("GET", "/secrets/" + id + "/versions", null);
        long current = 0;
        for (JsonNode v : versions.get("versions")) {
          current += v.get("state").asString().equals("current") ? 1 : 0;
        }
        String label = "seed " + seed + ", round " + round;
        assertThat(current).as(label + ": current versions after the kill").isEqualTo(1);
        assertThat(currentVersion(client, id)).as(label).isBetween(before, Integer.MAX_VALUE);
        JsonNode end = awaitEnd(client, rot);
        assertThat(end.get("state").asString()).as(label + " " + end).isIn("previous", "failed");
        if (end.get("state").asString().equals("previous")) {
          assertThat(currentVersion(client, id)).as(label).isEqualTo(end.get("to_version").asInt());
        } else {
          assertThat(currentVersion(client, id)).as(label).isEqualTo(before);
        }
      }
    } finally {
      broker.process.destroyForcibly().waitFor();
      endpoint.stop(0);
    }
  }

  private static int currentVersion(SecretsApiClient client, String id) {
    return client.getSecret(id).get("current_version").asInt();
  }

  private static JsonNode awaitEnd(SecretsApiClient client, String rot) throws Exception {
    long deadline = System.nanoTime() + 20_000_000_000L;
    JsonNode r = client.call("GET", "/rotations/" + rot, null);
    while (!r.get("state").asString().matches("previous|sealed|failed")
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
      r = client.call("GET", "/rotations/" + rot, null);
    }
    return r;
  }
}
