package io.secretsapi.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.server.TestServer;
import io.secretsapi.testing.TestStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The live stream and lineage screens over HTTP: scopes and CSRF on revoke, the stream's resume,
 * its end with the session, its cap per session, and no secret value in any page or event.
 */
class ConsoleLiveHttpTest {
  static final String CANARY = "sk-proj-CANARY-livehttp-0123456789abcdef";

  /** An open event stream of a console session, read on its own thread. */
  static final class Stream implements AutoCloseable {
    final HttpResponse<InputStream> response;
    final StringBuffer text = new StringBuffer();
    final Thread reader;

    Stream(ConsoleClient c, String base, String path, Map<String, String> headers)
        throws Exception {
      HttpClient http = HttpClient.newBuilder().cookieHandler(c.cookies()).build();
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "text/event-stream");
      headers.forEach(b::header);
      response = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      reader = new Thread(this::read, "console-stream-reader");
      reader.setDaemon(true);
      reader.start();
    }

    private void read() {
      byte[] buf = new byte[4096];
      try (InputStream in = response.body()) {
        for (int n; (n = in.read(buf)) > 0; ) {
          text.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
      } catch (IOException closed) {
        // the test closed it
      }
    }

    /** Waits up to {@code millis} for {@code s} in what the stream sent. */
    boolean await(String s, long millis) throws InterruptedException {
      long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
      while (System.nanoTime() < end) {
        if (text.indexOf(s) >= 0) {
          return true;
        }
        Thread.sleep(20);
      }
      return text.indexOf(s) >= 0;
    }

    boolean ended(long millis) throws InterruptedException {
      reader.join(millis);
      return !reader.isAlive();
    }

    @Override
    public void close() throws IOException {
      response.body().close();
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void revoke_readOnlyKeyOrNoCsrf_refused403AndTokenStaysActive(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      LiveWorld w = LiveWorld.make(s);
      String token = w.issue(w.secret("openai-prod-key", CANARY)).get("token_id").asString();
      String path = "/console/tokens/" + token + "/revoke";

      ConsoleClient reader = new ConsoleClient(s.server().baseUrl());
      reader.logIn(w.agentKeyWith("audit:read", "events:read"));
      HttpResponse<String> page = reader.get("/console/tokens/" + token);
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains(token).doesNotContain("revoke-form").doesNotContain(path);
      HttpResponse<String> forged = reader.postWithCsrf(path, Map.of("cascade", "true"));
      assertThat(forged.statusCode()).isEqualTo(403);
      assertThat(forged.body()).contains("tokens:revoke");

      ConsoleClient admin = new ConsoleClient(s.server().baseUrl());
      admin.logIn(s.rootKey());
      assertThat(admin.post(path, Map.of("cascade", "true")).statusCode()).isEqualTo(403);
      assertThat(admin.post(path, Map.of("cascade", "true", "_csrf", "A".repeat(43))).statusCode())
          .isEqualTo(403);
      assertThat(status(s, token)).isEqualTo("active");

      HttpResponse<String> real = admin.postWithCsrf(path, Map.of("cascade", "true"));
      assertThat(real.statusCode()).isEqualTo(303);
      assertThat(real.headers().firstValue("Location").orElseThrow())
          .startsWith("/console/tokens/" + token + "?revoked=1&audit_ref=AU-");
      assertThat(status(s, token)).isEqualTo("revoked");
    }
  }

  static String status(TestServer s, String token) {
    return s.root().call("GET", "/tokens/" + token, null).get("status").asString();
  }

  @Test
  void stream_canaryValueStoredRotatedAndResolved_appearsInNoEventOrPage() throws Exception {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      LiveWorld w = LiveWorld.make(s);
      ConsoleClient c = new ConsoleClient(s.server().baseUrl());
      c.logIn(s.rootKey());
      try (Stream st = new Stream(c, s.server().baseUrl(), "/console/events/stream", Map.of())) {
        assertThat(st.response.statusCode()).isEqualTo(200);
        assertThat(st.response.headers().firstValue("Content-Type").orElseThrow())
            .startsWith("text/event-stream");
        String secret = w.secret("openai-prod-key", CANARY);
        s.root().rotateSecret(secret, Optional.of(CANARY + "-next"), Optional.of("1h"));
        String token = w.issue(secret).get("token").asString();
        String tokenId = w.issue(secret).get("token_id").asString();
        s.anonymous().call("POST", "/tokens/resolve", Map.of("token", token));
        assertThat(st.await(tokenId, 3_000)).as(st.text.toString()).isTrue();
        assertThat(st.await("token.reveal", 3_000)).as(st.text.toString()).isTrue();
        assertThat(st.text.toString())
            .contains("event: line", "data: <li")
            .doesNotContain("CANARY");
        for (String page :
            List.of(
                "/console/events",
                "/console/events?secret_id=" + secret,
                "/console/tokens",
                "/console/tokens/" + tokenId)) {
          HttpResponse<String> r = c.get(page);
          assertThat(r.statusCode()).as(page).isEqualTo(200);
          assertThat(r.body()).as(page).doesNotContain("CANARY");
        }
      }
    }
  }

  @Test
  void stream_lastEventId_resumesRightAfterIt() throws Exception {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      ConsoleClient c = new ConsoleClient(s.server().baseUrl());
      c.logIn(s.rootKey());
      for (int i = 0; i < 3; i++) {
        s.root().createServiceAccount("account-" + i, "for offsets");
      }
      try (Stream st =
          new Stream(
              c,
              s.server().baseUrl(),
              "/console/events/stream?after=0",
              Map.of("Last-Event-ID", "2"))) {
        assertThat(st.await("id: 4\n", 3_000)).as(st.text.toString()).isTrue();
        assertThat(st.text.toString()).doesNotContain("id: 1\n").doesNotContain("id: 2\n");
        assertThat(st.text.indexOf("id: 3\n")).isLessThan(st.text.indexOf("id: 4\n"));
      }
    }
  }

  @Test
  void stream_sessionLoggedOut_endsWithEndedEvent() throws Exception {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      ConsoleClient c = new ConsoleClient(s.server().baseUrl());
      c.logIn(s.rootKey());
      String csrf = c.csrf();
      try (Stream st = new Stream(c, s.server().baseUrl(), "/console/events/stream", Map.of())) {
        assertThat(st.await(": secretsapi console events", 3_000)).isTrue();
        assertThat(c.post("/console/logout", Map.of("_csrf", csrf)).statusCode()).isEqualTo(303);
        assertThat(st.await("event: ended", 3_000)).isTrue();
        assertThat(st.ended(3_000)).as("the stream is closed").isTrue();
        assertThat(st.text.toString()).contains("Log in again");
      }
      HttpResponse<String> again = c.get("/console/events/stream");
      assertThat(again.statusCode()).isEqualTo(303);
    }
  }

  @Test
  void stream_sessionIdleExpires_endsWithEndedEvent() throws Exception {
    try (TestServer s = TestServer.start(TestStore.SQLITE, Map.of("console.session_idle", "2s"))) {
      ConsoleClient c = new ConsoleClient(s.server().baseUrl());
      c.logIn(s.rootKey());
      try (Stream st = new Stream(c, s.server().baseUrl(), "/console/events/stream", Map.of())) {
        assertThat(st.response.statusCode()).isEqualTo(200);
        assertThat(st.await("event: ended", 5_000))
            .as("an open stream does not keep an idle session alive")
            .isTrue();
        assertThat(st.ended(3_000)).isTrue();
      }
    }
  }

  @Test
  void stream_manyOfOneSession_fifthRefused429AndOtherRequestsServed() throws Exception {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      ConsoleClient c = new ConsoleClient(s.server().baseUrl());
      c.logIn(s.rootKey());
      List<Stream> open = new ArrayList<>();
      try {
        for (int i = 0; i < EventStream.PER_SESSION; i++) {
          Stream st = new Stream(c, s.server().baseUrl(), "/console/events/stream", Map.of());
          assertThat(st.response.statusCode()).isEqualTo(200);
          open.add(st);
        }
        try (Stream refused =
            new Stream(c, s.server().baseUrl(), "/console/events/stream", Map.of())) {
          assertThat(refused.response.statusCode()).isEqualTo(429);
        }
        long t0 = System.nanoTime();
        assertThat(c.get("/console/events").statusCode()).isEqualTo(200);
        assertThat(s.root().listSecrets(Map.of()).get("total").asLong()).isZero();
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5_000);
      } finally {
        for (Stream st : open) {
          st.close();
        }
      }
    }
  }

  @Test
  void eventsPage_markupInFilter_isShownAsText() {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      ConsoleClient c = new ConsoleClient(s.server().baseUrl());
      c.logIn(s.rootKey());
      HttpResponse<String> r =
          c.get("/console/events?principal=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).doesNotContain("<img").contains("&lt;img src=x onerror=alert(1)&gt;");
    }
  }
}
