package io.secretsapi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.client.Response;
import io.secretsapi.client.SecretsApiClient;
import io.secretsapi.testing.TestDatabases;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of the broker during a burst of writes loses no acknowledged write (SQLite, WAL,
 * synchronous=FULL). The broker runs in its own JVM, started by the real {@code server} command.
 */
class CrashDurabilityTest {
  private static final Pattern ROOT_KEY = Pattern.compile("^\\s+(sk_[A-Za-z0-9_-]{60})$");

  @Test
  void killDashNine_duringWriteBurst_losesNoAcknowledgedWrite() throws Exception {
    Path dir = TestDatabases.tempDir("crash-");
    int port = freePort();
    Path config = dir.resolve("secretsapi.yaml");
    Files.writeString(
        config,
        "listen: 127.0.0.1:"
            + port
            + "\nstore:\n  url: sqlite:"
            + dir.resolve("broker.db")
            + "\nkek:\n  file: "
            + dir.resolve("kek.json")
            + "\n");
    Map<String, String> acknowledged = new ConcurrentHashMap<>();
    String rootKey = null;
    for (int round = 0; round < 3; round++) {
      Broker broker = Broker.start(config, port, round == 0);
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
    Broker last = Broker.start(config, port, false);
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

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** A broker in its own JVM, and the root key it printed on first start. */
  private static final class Broker {
    final Process process;
    final String rootKey;

    private Broker(Process process, String rootKey) {
      this.process = process;
      this.rootKey = rootKey;
    }

    static Broker start(Path config, int port, boolean firstStart) throws Exception {
      String java = ProcessHandle.current().info().command().orElse("java");
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  java,
                  "-cp",
                  System.getProperty("java.class.path"),
                  "io.secretsapi.cli.Main",
                  "server",
                  "--config",
                  config.toString()));
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String key = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      String line;
      boolean listening = false;
      while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
        listening |= line.startsWith("SecretsAPI listening on");
        Matcher m = ROOT_KEY.matcher(line);
        if (m.matches()) {
          key = m.group(1);
        }
        if (listening && (firstStart ? key != null : line.startsWith("  key-encryption key"))) {
          break;
        }
      }
      Thread drain = new Thread(() -> out.lines().forEach(l -> {}));
      drain.setDaemon(true);
      drain.start();
      SecretsApiClient probe = SecretsApiClient.create("http://127.0.0.1:" + port, null);
      assertThat(probe.send("GET", "/health/ready", null, null).status()).isEqualTo(200);
      return new Broker(p, key);
    }
  }
}
