package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.secretsapi.client.ApiException;
import io.secretsapi.events.WebhookDispatcher;
import io.secretsapi.testing.TestStore;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class WebhooksHttpTest {
  static final JsonMapper JSON = JsonMapper.builder().build();

  /** A receiver on loopback that keeps what it got and answers {@code statuses} in turn. */
  static final class Receiver implements AutoCloseable {
    final HttpServer http;
    final List<Map<String, String>> got = new CopyOnWriteArrayList<>();
    final AtomicInteger calls = new AtomicInteger();
    volatile long delayMillis;

    Receiver(int... statuses) throws Exception {
      http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      http.createContext(
          "/hook",
          ex -> {
            int n = calls.getAndIncrement();
            if (delayMillis > 0) {
              try {
                Thread.sleep(delayMillis);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            got.add(
                Map.of(
                    "body",
                    body,
                    "signature",
                    ex.getRequestHeaders().getFirst(WebhookDispatcher.SIGNATURE_HEADER)));
            int status = n < statuses.length ? statuses[n] : 200;
            if (status == 302) {
              ex.getResponseHeaders().add("Location", "http://127.0.0.1:9/elsewhere");
            }
            ex.sendResponseHeaders(status, -1);
            ex.close();
          });
      http.start();
    }

    String url() {
      return "http://127.0.0.1:" + http.getAddress().getPort() + "/hook";
    }

    @Override
    public void close() {
      http.stop(0);
    }
  }

  static Map<String, String> config() {
    return Map.of("webhooks.allow_internal", "true", "webhooks.first_retry", "50ms");
  }

  static void await(java.util.function.BooleanSupplier done) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!done.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited too long").isLessThan(end);
      Thread.sleep(20);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void webhook_policyChange_isDeliveredSignedAndLogged(TestStore store) throws Exception {
    try (TestServer s = TestServer.start(store, config());
        Receiver r = new Receiver()) {
      JsonNode hook =
          s.root().call("POST", "/webhooks", Map.of("url", r.url(), "events", List.of("policy")));
      String secret = hook.get("secret").asString();
      assertThat(secret).startsWith("whsec_");
      var put =
          s.root()
              .send(
                  "PUT",
                  "/policies/HOOK-1",
                  "rules:\n  - id: r1\n    effect: allow\n    principals: [root]\n"
                      + "    operations: ['*']\n",
                  "application/yaml");
      assertThat(put.status()).as(put.body()).isEqualTo(200);
      await(() -> !r.got.isEmpty());
      Map<String, String> first = r.got.get(0);
      JsonNode body = JSON.readTree(first.get("body"));
      assertThat(body.get("event").asString()).isEqualTo("policy");
      assertThat(body.get("record").get("type").asString()).isEqualTo("policy.change");
      String[] parts = first.get("signature").split(",");
      long t = Long.parseLong(parts[0].substring(2));
      assertThat(parts[1])
          .isEqualTo(
              "v1="
                  + WebhookDispatcher.sign(
                      secret.getBytes(StandardCharsets.UTF_8), t, first.get("body")));
      assertThat(Math.abs(System.currentTimeMillis() / 1000 - t)).isLessThan(60);
      String id = hook.get("id").asString();
      await(
          () ->
              s.root().call("GET", "/webhooks/" + id + "/deliveries", null).get("items").size()
                  == 1);
      JsonNode log = s.root().call("GET", "/webhooks/" + id + "/deliveries", null).get("items");
      assertThat(log.get(0).get("outcome").asString()).isEqualTo("delivered");
      assertThat(log.get(0).get("http_status").asInt()).isEqualTo(200);
      assertThat(s.root().call("GET", "/webhooks", null).toString()).doesNotContain(secret);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void webhook_failingReceiverAndRedirect_retriedWithBackoffThenDelivered(TestStore store)
      throws Exception {
    try (TestServer s = TestServer.start(store, config());
        Receiver r = new Receiver(500, 302, 200)) {
      String id =
          s.root()
              .call(
                  "POST", "/webhooks", Map.of("url", r.url(), "events", List.of("webhook.create")))
              .get("id")
              .asString();
      await(() -> r.calls.get() >= 3);
      await(
          () ->
              s.root().call("GET", "/webhooks/" + id + "/deliveries", null).get("items").size()
                  >= 3);
      JsonNode log = s.root().call("GET", "/webhooks/" + id + "/deliveries", null).get("items");
      assertThat(log.get(2).get("outcome").asString()).isEqualTo("retrying");
      assertThat(log.get(2).get("http_status").asInt()).isEqualTo(500);
      assertThat(log.get(1).get("outcome").asString()).isEqualTo("retrying");
      assertThat(log.get(1).get("http_status").asInt())
          .as("a redirect is not followed")
          .isEqualTo(302);
      assertThat(log.get(0).get("outcome").asString()).isEqualTo("delivered");
      assertThat(log.get(0).get("attempt").asInt()).isEqualTo(3);
      assertThat(r.got)
          .as("three attempts at the one event: its own webhook.create record")
          .extracting(m -> JSON.readTree(m.get("body")).get("record").get("subject").asString())
          .containsExactly(id, id, id);
    }
  }

  @Test
  void create_privateAddressWithoutTheSwitch_isRefusedNamingTheField() {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      for (String url :
          List.of(
              "http://127.0.0.1:8080/x",
              "http://169.254.169.254/latest/meta-data",
              "http://[::1]/x",
              "http://10.0.0.1/x",
              "ftp://example.org/x",
              "http://user:pass@127.0.0.1/x")) {
        try {
          s.root().call("POST", "/webhooks", Map.of("url", url, "events", List.of("grant")));
          throw new AssertionError("accepted " + url);
        } catch (ApiException e) {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.problem().get("field").asString()).isEqualTo("url");
        }
      }
      assertThat(s.root().call("GET", "/webhooks", null).get("items")).isEmpty();
    }
  }

  /** Both nodes run a dispatcher; only the leader delivers, so no event arrives twice. */
  @Test
  void webhook_twoNodesOnPostgres_eachEventDeliveredOnce() throws Exception {
    try (TestServer s = TestServer.start(TestStore.POSTGRES, config());
        TestServer other = s.otherNode();
        Receiver r = new Receiver()) {
      r.delayMillis = 200; // a dispatcher on the other node would have time to read the same page
      s.root().call("POST", "/webhooks", Map.of("url", r.url(), "events", List.of("policy")));
      for (int i = 1; i <= 5; i++) {
        var put =
            (i % 2 == 0 ? other : s)
                .root()
                .send(
                    "PUT",
                    "/policies/HOOK-" + i,
                    "rules:\n  - id: r1\n    effect: allow\n    principals: [root]\n"
                        + "    operations: ['*']\n",
                    "application/yaml");
        assertThat(put.status()).as(put.body()).isEqualTo(200);
      }

      await(() -> r.got.size() >= 5);
      Thread.sleep(1_000); // a second dispatcher, were it delivering, would have by now

      List<String> ids =
          r.got.stream().map(m -> JSON.readTree(m.get("body")).get("id").asString()).toList();
      assertThat(ids).hasSize(5).doesNotHaveDuplicates();
    }
  }
}
