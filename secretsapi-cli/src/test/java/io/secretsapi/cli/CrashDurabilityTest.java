package io.secretsapi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.client.Response;
import io.secretsapi.client.SecretsApiClient;
import io.secretsapi.testing.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of the broker during a burst of writes loses no acknowledged write (SQLite, WAL,
 * synchronous=FULL). The broker runs in its own JVM, started by the real {@code server} command.
 */
class CrashDurabilityTest {

  @Test
  void killDashNine_duringWriteBurst_losesNoAcknowledgedWrite() throws Exception {
    Path dir = TestDatabases.tempDir("crash-");
    int port = BrokerProcess.freePort();
    Path config = BrokerProcess.sqliteConfig(dir, port);
    Map<String, String> acknowledged = new ConcurrentHashMap<>();
    String rootKey = null;
    for (int round = 0; round < 3; round++) {
      BrokerProcess broker = BrokerProcess.start(config, port, round == 0);
      rootKey = rootKey == null ? broker.rootKey : rootKey;
      SecretsApiClient client = SecretsApiClient.create("http://127.0.0.1:" + port, rootKey);
      for (var e : acknowledged.entrySet()) {
        Response r = client.send("GET", "/secrets/" + e.getKey(), null, null);
        assertThat(r.status())
            .as("acknowledged secret %s after kill -9", e.getKey())
            .isEqualTo(200);
        assertThat(r.body()).contains("\"name\":\"" + e.getValue() + "\"");
      }
      int before = acknowledged.size();
      burstThenKill(client, broker.process, acknowledged, round);
      assertThat(acknowledged.size())
          .as("writes acknowledged in round " + round)
          .isGreaterThan(before + 20);
    }
    BrokerProcess last = BrokerProcess.start(config, port, false);
    SecretsApiClient client = SecretsApiClient.create("http://127.0.0.1:" + port, rootKey);
    long total = Long.parseLong(client.listSecrets(Map.of("limit", "1")).get("total").asString());
    assertThat(total).isGreaterThanOrEqualTo(acknowledged.size());
    for (String id : acknowledged.keySet()) {
      assertThat(client.send("GET", "/secrets/" + id, null, null).status()).isEqualTo(200);
    }
    last.process.destroyForcibly().waitFor();
  }

  private static void burstThenKill(
      SecretsApiClient client, Process broker, Map<String, String> acknowledged, int round)
      throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger n = new AtomicInteger();
    ExecutorService writers = Executors.newFixedThreadPool(8);
    for (int t = 0; t < 8; t++) {
      writers.submit(
          () -> {
            while (!stop.get()) {
              String name = "r" + round + "-w" + n.incrementAndGet();
              try {
                Response r =
                    client.send(
                        "POST",
                        "/secrets",
                        "{\"name\":\""
                            + name
                            + "\",\"provider\":\"openai\","
                            + "\"resource_class\":\"model-access\",\"environment\":\"production\","
                            + "\"value\":\"crash-test-value-"
                            + name
                            + "\"}",
                        "application/json");
                if (r.status() == 201) {
                  String id = r.body().replaceAll(".*\"id\":\"(sec_[a-z0-9]+)\".*", "$1");
                  acknowledged.put(id, name);
                }
              } catch (RuntimeException e) {
                return; // the broker is gone
              }
            }
          });
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    int target = acknowledged.size() + 150 + round * 37;
    while (acknowledged.size() < target && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    broker.destroyForcibly(); // SIGKILL: no shutdown hook runs
    broker.waitFor(10, TimeUnit.SECONDS);
    stop.set(true);
    writers.shutdown();
    writers.awaitTermination(30, TimeUnit.SECONDS);
  }
}
