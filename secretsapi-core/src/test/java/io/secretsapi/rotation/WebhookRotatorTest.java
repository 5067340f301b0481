package io.secretsapi.rotation;

import static io.secretsapi.rotation.RotationFixture.engine;
import static io.secretsapi.rotation.RotationFixture.none;
import static io.secretsapi.rotation.RotationFixture.secret;
import static io.secretsapi.rotation.RotationFixture.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.secretsapi.events.WebhookDispatcher;
import io.secretsapi.secret.Secret;
import io.secretsapi.testing.Broker;
import io.secretsapi.testing.TestStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WebhookRotatorTest {
  static final String OLD = "sk_live_OLD_CANARY_5b2c9e1f7a3d4c60";
  static final String NEW = "sk_live_NEW_CANARY_0e8d6a4b2c1f3e97";

  /** The owner's endpoint: a real HTTP server on loopback, as a provider-side rotator would be. */
  static final class Endpoint implements AutoCloseable {
    final HttpServer server;
    final List<String> signatures = new CopyOnWriteArrayList<>();
    final List<String> bodies = new CopyOnWriteArrayList<>();
    final List<String> keys = new CopyOnWriteArrayList<>();
    final AtomicInteger flaky = new AtomicInteger();

    Endpoint() throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(
          "/",
          ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            bodies.add(body);
            signatures.add(ex.getRequestHeaders().getFirst(WebhookDispatcher.SIGNATURE_HEADER));
            keys.add(ex.getRequestHeaders().getFirst("Idempotency-Key"));
            String path = ex.getRequestURI().getPath();
            int status = 200;
            String answer = "{\"value\":\"" + NEW + "\"}";
            switch (path) {
              case "/garbage" -> answer = "<html>rotated!</html>";
              case "/slow" -> sleep(400);
              case "/flaky" -> {
                if (flaky.getAndIncrement() == 0) {
                  status = 503;
                  answer = "{}";
                }
              }
              default -> {}
            }
            byte[] out = answer.getBytes(StandardCharsets.UTF_8);
            try {
              ex.sendResponseHeaders(status, out.length);
              ex.getResponseBody().write(out);
            } catch (IOException gone) {
              // the broker stopped waiting
            }
            ex.close();
          });
      server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
      server.start();
    }

    String url(String path) {
      return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private static void sleep(long ms) {
      try {
        Thread.sleep(ms);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void runDue_endpointAnswersValue_signedCallPromotesIt(TestStore store) throws IOException {
    try (Broker b = Broker.start(store);
        Endpoint e = new Endpoint()) {
      RotationService rot = engine(b.leading(), b);
      Secret s = secret(b, "stripe", "static", OLD);
      String signing =
          rot.configure(b.root(), s.id(), webhook(e.url("/flaky"), "2s"))
              .signingSecret()
              .orElseThrow();
      RotationJob q = rot.queue(b.root(), s.id(), Trigger.OPERATOR, "quarterly", none());
      rot.runDue();

      assertThat(rot.get(b.root(), q.id()).state()).isEqualTo(RotationState.PREVIOUS);
      assertThat(b.cleartext().current(s.id())).isEqualTo(NEW);
      assertThat(e.bodies).hasSize(2); // a 503, then the answer
      assertThat(e.keys).containsOnly(q.id());
      String sig = e.signatures.get(1);
      long t = Long.parseLong(sig.substring(2, sig.indexOf(',')));
      assertThat(sig)
          .endsWith(
              "v1="
                  + WebhookDispatcher.sign(
                      signing.getBytes(StandardCharsets.UTF_8), t, e.bodies.get(1)));
      assertThat(e.bodies.get(1)).contains("\"secret_id\":\"" + s.id() + "\"").doesNotContain(OLD);
      assertThat(RotationServiceTest.allReasons(b)).doesNotContain(NEW).doesNotContain(OLD);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void runDue_endpointAnswersGarbageOrTimesOut_failsAndOldValueServes(TestStore store)
      throws IOException {
    try (Broker b = Broker.start(store);
        Endpoint e = new Endpoint()) {
      RotationService rot = engine(b.leading(), b);
      Secret garbage = secret(b, "garbage", "static", OLD);
      rot.configure(b.root(), garbage.id(), webhook(e.url("/garbage"), "2s"));
      Secret slow = secret(b, "slow", "static", OLD);
      rot.configure(b.root(), slow.id(), webhook(e.url("/slow"), "100ms"));
      RotationJob g = rot.queue(b.root(), garbage.id(), Trigger.OPERATOR, "x", none());
      RotationJob t = rot.queue(b.root(), slow.id(), Trigger.OPERATOR, "x", none());
      rot.runDue();

      RotationJob gr = rot.get(b.root(), g.id());
      assertThat(gr.state()).isEqualTo(RotationState.FAILED);
      assertThat(gr.failure()).get().asString().contains("garbage");
      RotationJob tr = rot.get(b.root(), t.id());
      assertThat(tr.state()).isEqualTo(RotationState.FAILED);
      assertThat(tr.failure())
          .get()
          .asString()
          .contains("did not answer within 100 ms")
          .contains("(" + WebhookRotator.ATTEMPTS + " attempts)");
      // each attempt is cut at 100 ms, on a loaded machine sometimes before its body arrives
      assertThat(e.bodies.stream().filter(x -> x.contains(slow.id())).count())
          .isBetween(1L, (long) WebhookRotator.ATTEMPTS);
      assertThat(b.cleartext().current(garbage.id())).isEqualTo(OLD);
      assertThat(b.cleartext().current(slow.id())).isEqualTo(OLD);
      assertThat(b.vault().get(b.root(), slow.id()).currentVersion()).isEqualTo(1);
    }
  }
}
