package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.audit.AuditEntry;
import io.secretsapi.client.SecretsApiClient;
import io.secretsapi.testing.TestStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class EventsHttpTest {
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final int EVENTS = 10_000;

  /** A consumer of the stream: what it received, in order, across reconnections. */
  static final class Consumer {
    final List<Long> ids = new ArrayList<>();
    int connections;
    int lags;
  }

  /**
   * Follows {@code /access/events?type=test.event} until {@code want} events arrived, resuming with
   * Last-Event-ID after a lag notice or after dropping the connection itself at {@code dropAt}.
   */
  static Consumer consume(SecretsApiClient c, long start, int want, long pauseEvery, int dropAt) {
    Consumer me = new Consumer();
    long[] last = {start};
    boolean[] dropped = {dropAt <= 0};
    while (me.ids.size() < want) {
      me.connections++;
      c.stream(
          "/access/events?type=test.event",
          Map.of("Accept", "text/event-stream", "Last-Event-ID", String.valueOf(last[0])),
          line -> {
            if (line.startsWith("id: ")) {
              long id = Long.parseLong(line.substring(4));
              me.ids.add(id);
              last[0] = id;
              if (pauseEvery > 0 && me.ids.size() % pauseEvery == 0) {
                sleep(50);
              }
              if (!dropped[0] && me.ids.size() == dropAt) {
                dropped[0] = true;
                return false; // hang up mid-stream, then resume
              }
              return me.ids.size() < want;
            }
            if (line.startsWith("data: {\"resume_after\":")) {
              me.lags++;
              last[0] = JSON.readTree(line.substring(6)).get("resume_after").asLong();
              return false;
            }
            return true;
          });
    }
    return me;
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void events_threeConsumersOneSlowAndOneReconnecting_eachGetsEveryEventOnceInOrder(TestStore store)
      throws Exception {
    try (TestServer s = TestServer.start(store, Map.of("events.buffer", "512"))) {
      var core = s.server().core();
      long start = core.feed().head();
      ExecutorService pool = Executors.newFixedThreadPool(11);
      try {
        List<Future<Consumer>> consumers = new ArrayList<>();
        consumers.add(pool.submit(() -> consume(s.root(), start, EVENTS, 0, 0)));
        consumers.add(pool.submit(() -> consume(s.root(), start, EVENTS, 0, 4_321)));
        consumers.add(pool.submit(() -> consume(s.root(), start, EVENTS, 500, 0)));
        AtomicInteger made = new AtomicInteger();
        List<Future<?>> producers = new ArrayList<>();
        for (int p = 0; p < 8; p++) {
          producers.add(
              pool.submit(
                  () -> {
                    while (made.incrementAndGet() <= EVENTS) {
                      core.auditBroker()
                          .record(AuditEntry.of("test.event", "producer", "done").build());
                    }
                  }));
        }
        for (Future<?> p : producers) {
          p.get(120, TimeUnit.SECONDS);
        }
        List<Long> expected =
            s.server()
                .database()
                .read(
                    h ->
                        h.createQuery(
                                "SELECT audit_offset FROM audit_records WHERE type = 'test.event'"
                                    + " ORDER BY audit_offset")
                            .mapTo(Long.class)
                            .list());
        assertThat(expected).hasSize(EVENTS);
        for (Future<Consumer> f : consumers) {
          Consumer c = f.get(120, TimeUnit.SECONDS);
          assertThat(c.ids).as("no gap, no duplicate, in order").isEqualTo(expected);
        }
        assertThat(consumers.get(1).get().connections).isGreaterThanOrEqualTo(2);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void events_jsonPage_resumesAfterLastEventIdAndFilters(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      var core = s.server().core();
      long start = core.feed().head();
      for (int i = 0; i < 5; i++) {
        core.auditBroker().record(AuditEntry.of("test.event", "p-" + i, "done").build());
        core.auditBroker().record(AuditEntry.of("test.other", "p-" + i, "done").build());
      }
      var json = Map.of("Accept", "application/json");
      JsonNode page =
          JSON.readTree(
              s.root()
                  .send(
                      "GET",
                      "/access/events?type=test.event&limit=3&after=" + start,
                      null,
                      null,
                      json)
                  .body());
      assertThat(page.get("events")).hasSize(3);
      long next = page.get("next_after").asLong();
      JsonNode rest =
          JSON.readTree(
              s.root()
                  .send(
                      "GET",
                      "/access/events?type=test.event&principal=p-4",
                      null,
                      null,
                      Map.of("Accept", "application/json", "Last-Event-ID", String.valueOf(next)))
                  .body());
      assertThat(rest.get("events")).hasSize(1);
      JsonNode e = rest.get("events").get(0);
      assertThat(e.get("event").asString()).isEqualTo("access");
      assertThat(e.get("record").get("actor").asString()).isEqualTo("p-4");
      assertThat(e.get("audit_ref").asString()).isEqualTo("AU-" + e.get("id").asLong());
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void events_otherAccount_seesOnlyItsOwnEvents(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      var core = s.server().core();
      long start = core.feed().head();
      core.auditBroker().record(AuditEntry.of("test.event", "root", "done").build());
      SecretsApiClient other = s.accountWith("events:read");
      JsonNode page =
          JSON.readTree(
              other
                  .send(
                      "GET",
                      "/access/events?after=" + start,
                      null,
                      null,
                      Map.of("Accept", "application/json"))
                  .body());
      assertThat(page.get("events").toString()).doesNotContain("\"actor\":\"root\"");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void checkpoints_underTraffic_areSignedEverySecondWithoutBeingAsked(TestStore store)
      throws Exception {
    try (TestServer s = TestServer.start(store)) {
      long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
      long head = 0;
      long covered = -1;
      while (System.nanoTime() < deadline && covered < head) {
        s.root().send("GET", "/secrets", null, null); // traffic: each request is a record
        head = s.server().core().feed().head();
        sleep(300);
        JsonNode items =
            JSON.readTree(s.root().send("GET", "/audit/checkpoints?limit=1", null, null).body())
                .get("items");
        covered = items.isEmpty() ? -1 : items.get(0).get("tree_size").asLong();
      }
      assertThat(covered)
          .as("a signed checkpoint covers the traffic, unasked")
          .isGreaterThanOrEqualTo(head);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
