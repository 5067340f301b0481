package io.secretsapi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.audit.AuditLog;
import io.secretsapi.audit.AuditVerifier;
import io.secretsapi.client.Response;
import io.secretsapi.client.SecretsApiClient;
import io.secretsapi.testing.TestDatabases;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * kill -9 of the broker at random moments under a load of token issues. After each restart: every
 * issue answered 200 has its {@code token.issue} record, the whole chain verifies offline, and no
 * record names a request that was never sent. CI runs 3 kills; {@code bench/audit-crash.sh} runs 20
 * (system property {@code crash.kills}; {@code crash.seed} replays a run).
 */
class AuditCrashTest {
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final String POLICY =
      "rules:\n  - id: root-all\n    effect: allow\n    principals: [root]\n    operations: ['*']\n";

  @Test
  void killDashNine_underIssueLoad_everyAnsweredGrantHasItsRecordAndTheChainVerifies()
      throws Exception {
    int kills = Integer.getInteger("crash.kills", 3);
    long seed = Long.getLong("crash.seed", System.nanoTime());
    Random random = new Random(seed);
    Path dir = TestDatabases.tempDir("audit-crash-");
    int port = BrokerProcess.freePort();
    Path config = BrokerProcess.sqliteConfig(dir, port);
    Set<String> sent = ConcurrentHashMap.newKeySet();
    Map<String, String> answered = new ConcurrentHashMap<>(); // token id -> request id
    String rootKey = null;
    String secretId = null;
    for (int round = 0; round <= kills; round++) {
      BrokerProcess broker = BrokerProcess.start(config, port, round == 0);
      rootKey = rootKey == null ? broker.rootKey : rootKey;
      SecretsApiClient client = SecretsApiClient.create("http://127.0.0.1:" + port, rootKey);
      if (round == 0) {
        secretId = setUp(client);
      }
      check(client, sent, answered, "after " + round + " kill(s), seed " + seed);
      if (round == kills) {
        broker.process.destroyForcibly().waitFor();
        break;
      }
      issueThenKill(client, broker.process, secretId, round, random, sent, answered);
    }
    assertThat(answered).as("grants answered across all rounds").hasSizeGreaterThan(kills * 20);
  }

  private static String setUp(SecretsApiClient client) {
    String id =
        client
            .createSecret(
                Map.of(
                    "name",
                    "crash",
                    "provider",
                    "openai",
                    "resource_class",
                    "model-access",
                    "environment",
                    "production",
                    "value",
                    "sk-crash-0123456789abcdef"))
            .get("id")
            .asString();
    Response scope =
        client.send(
            "POST",
            "/secrets/" + id + "/scope",
            "{\"name\":\"model-access\",\"operations\":[\"reveal\"],\"max_ttl\":\"15m\"}",
            "application/json");
    assertThat(scope.status()).as(scope.body()).isEqualTo(201);
    Response policy = client.send("PUT", "/policies/KEY-SCOPE-17", POLICY, "application/yaml");
    assertThat(policy.status()).as(policy.body()).isEqualTo(200);
    return id;
  }

  private static void issueThenKill(
      SecretsApiClient client,
      Process broker,
      String secretId,
      int round,
      Random random,
      Set<String> sent,
      Map<String, String> answered)
      throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger n = new AtomicInteger();
    ExecutorService clients = Executors.newFixedThreadPool(8);
    String body =
        "{\"secret_id\":\""
            + secretId
            + "\",\"scope\":\"model-access\",\"ttl\":\"5m\",\"environment\":\"production\"}";
    for (int t = 0; t < 8; t++) {
      clients.submit(
          () -> {
            while (!stop.get()) {
              String rid = "crash-r" + round + "-" + n.incrementAndGet();
              sent.add(rid);
              try {
                Response r =
                    client.send(
                        "POST",
                        "/tokens/issue",
                        body,
                        "application/json",
                        Map.of("X-Request-Id", rid));
                if (r.status() == 200) {
                  answered.put(JSON.readTree(r.body()).get("token_id").asString(), rid);
                }
              } catch (RuntimeException e) {
                return; // the broker is gone
              }
            }
          });
    }
    Thread.sleep(150 + random.nextInt(1500));
    broker.destroyForcibly(); // SIGKILL: no shutdown hook runs
    broker.waitFor(10, TimeUnit.SECONDS);
    stop.set(true);
    clients.shutdown();
    clients.awaitTermination(30, TimeUnit.SECONDS);
  }

  private static void check(
      SecretsApiClient client, Set<String> sent, Map<String, String> answered, String when) {
    Response export = client.send("GET", "/audit/export", null, null);
    assertThat(export.status()).isEqualTo(200);
    List<String> lines = export.body().lines().toList();
    AuditVerifier v = new AuditVerifier(1, AuditLog.GENESIS);
    lines.forEach(v::accept);
    AuditVerifier.Result r = v.result();
    assertThat(r.ok()).as("the chain verifies " + when + ": " + r.reason()).isTrue();
    Set<String> recordedGrants = new HashSet<>();
    for (String line : lines) {
      JsonNode rec = JSON.readTree(line);
      String rid = rec.path("request_id").asString("");
      if (rid.startsWith("crash-")) {
        assertThat(sent).as("a record names request " + rid + " " + when).contains(rid);
      }
      if (rec.get("type").asString().equals("token.issue")) {
        recordedGrants.add(rec.get("token_id").asString());
      }
    }
    assertThat(recordedGrants)
        .as("every grant answered 200 has its record " + when)
        .containsAll(answered.keySet());
  }
}
