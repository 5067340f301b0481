package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.testing.OwnPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stopped under load, then started again: readiness says so within a second, callers get
 * 503 within the store timeout instead of hanging, and the first 2xx comes within a second of the
 * database's return.
 */
class StoreOutageHttpTest {

  /** One answered request: when it was sent and answered (nanoTime), and its status. */
  private record Call(long sent, long answered, int status) {
    long millis() {
      return TimeUnit.NANOSECONDS.toMillis(answered - sent);
    }
  }

  @Test
  void postgresStoppedUnderLoad_readyAndCallersAnswer503InTime_andServiceReturnsWithinASecond()
      throws Exception {
    try (OwnPostgres pg = OwnPostgres.start();
        TestServer s = TestServer.onStore(pg.url(), Map.of())) {
      HttpClient http =
          HttpClient.newBuilder()
              .executor(Executors.newFixedThreadPool(4))
              .connectTimeout(Duration.ofSeconds(5))
              .build();
      String base = s.server().baseUrl();
      String key = s.rootKey();
      List<Call> calls = Collections.synchronizedList(new ArrayList<>());
      AtomicBoolean running = new AtomicBoolean(true);
      ExecutorService load = Executors.newFixedThreadPool(4);
      for (int c = 0; c < 4; c++) {
        int client = c;
        load.submit(
            () -> {
              int n = 0;
              while (running.get()) {
                HttpRequest r =
                    client % 2 == 0
                        ? HttpRequest.newBuilder(URI.create(base + "/secrets?limit=5"))
                            .header("Authorization", "Bearer " + key)
                            .timeout(Duration.ofSeconds(30))
                            .build()
                        : HttpRequest.newBuilder(URI.create(base + "/secrets"))
                            .header("Authorization", "Bearer " + key)
                            .header("Content-Type", "application/json")
                            .timeout(Duration.ofSeconds(30))
                            .POST(
                                HttpRequest.BodyPublishers.ofString(
                                    "{\"name\":\"k-"
                                        + client
                                        + "-"
                                        + (n++)
                                        + "\",\"provider\":\"openai\",\"resource_class\":\"model-access\","
                                        + "\"environment\":\"production\",\"owner\":\"AI Platform\","
                                        + "\"value\":\"sk-proj-outage-0123456789\"}"))
                            .build();
                long sent = System.nanoTime();
                try {
                  int status = http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
                  calls.add(new Call(sent, System.nanoTime(), status));
                } catch (Exception e) {
                  calls.add(new Call(sent, System.nanoTime(), -1));
                }
              }
              return null;
            });
      }
      Thread.sleep(1_500);
      assertThat(List.copyOf(calls)) // a copy under the list's lock: the load goes on adding
          .as("the load runs and is served")
          .anyMatch(c -> c.status() / 100 == 2);

      long stopped = System.nanoTime();
      pg.stop();
      long gone = System.nanoTime(); // pg_ctl returned: the server has shut down
      long down = stopped + waitFor(http, base, 503, Duration.ofSeconds(10));
      long readyMillis = TimeUnit.NANOSECONDS.toMillis(down - stopped);
      Thread.sleep(3_000); // callers meet the outage

      long resuming = System.nanoTime(); // the database may serve before pg_ctl returns
      pg.resume();
      long back = System.nanoTime();
      Thread.sleep(2_500);
      running.set(false);
      load.shutdown();
      assertThat(load.awaitTermination(40, TimeUnit.SECONDS)).isTrue();

      assertThat(readyMillis).as("ms until /health/ready answered 503").isLessThan(1_000);
      List<Call> during =
          calls.stream().filter(c -> c.sent() > gone && c.sent() < resuming).toList();
      assertThat(during).as("calls sent during the outage").isNotEmpty();
      assertThat(during)
          .as("every call sent during the outage is answered 503 within the 2 s bound")
          .allSatisfy(
              c -> {
                assertThat(c.status()).isEqualTo(503);
                assertThat(c.millis()).isLessThan(2_500);
              });
      long firstOk =
          calls.stream()
              .filter(c -> c.sent() >= back && c.status() / 100 == 2)
              .mapToLong(Call::answered)
              .min()
              .orElseThrow(() -> new AssertionError("no 2xx after the database returned"));
      System.out.printf(
          "store outage: ready 503 after %d ms; %d calls during the outage, slowest %d ms;"
              + " first 2xx %d ms after the return%n",
          readyMillis,
          during.size(),
          during.stream().mapToLong(Call::millis).max().orElse(0),
          TimeUnit.NANOSECONDS.toMillis(firstOk - back));
      assertThat(TimeUnit.NANOSECONDS.toMillis(firstOk - back))
          .as("ms from the database's return to the first 2xx")
          .isLessThan(1_000);
      assertThat(waitFor(http, base, 200, Duration.ofSeconds(1)))
          .as("ready again")
          .isLessThan(TimeUnit.SECONDS.toNanos(1));
    }
  }

  /** Polls {@code /health/ready} until it answers {@code status}; answers how long it took. */
  private static long waitFor(HttpClient http, String base, int status, Duration limit)
      throws Exception {
    long start = System.nanoTime();
    while (System.nanoTime() - start < limit.toNanos()) {
      HttpRequest r =
          HttpRequest.newBuilder(URI.create(base + "/health/ready"))
              .timeout(Duration.ofSeconds(5))
              .build();
      if (http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode() == status) {
        return System.nanoTime() - start;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("/health/ready did not answer " + status + " within " + limit);
  }
}
