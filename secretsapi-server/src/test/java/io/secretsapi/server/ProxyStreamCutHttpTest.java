package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.testing.TestStore;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * Every way a proxied stream is cut ends it with the error event of the secret's provider, carrying
 * the audit ref of the cut's record, after whole events only: revocation (OpenAI's {@code data:
 * {"error":...}}), expiry (Anthropic's {@code event: error}), an upstream that fails mid-stream
 * (the generic problem document, with an {@code error} object).
 */
class ProxyStreamCutHttpTest {
  static final String FIRST = "data: {\"n\":1}";

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void proxy_streamCut_endsWithTheProvidersErrorEventAndTheAuditRef(TestStore store)
      throws Exception {
    try (CutUpstream up = new CutUpstream();
        TestServer s = ProxyHttpTest.server(store, up.host())) {
      // OpenAI, revoked mid-stream.
      String openai =
          ProxyHttpTest.token(s.root(), "openai", "sk-proj-cut-0123456789ab", up.host(), Map.of());
      BufferedReader a = open(s, up, openai, "/v1/hold");
      assertThat(a.readLine()).isEqualTo(FIRST);
      String jti =
          s.root()
              .call("POST", "/tokens/introspect", Map.of("token", openai))
              .get("jti")
              .asString();
      s.root().call("POST", "/access/revoke", Map.of("token_id", jti));
      String tail = rest(a);
      assertThat(tail).doesNotContain("partial").doesNotContain("event:");
      assertThat(tail.strip()).startsWith("data: {\"error\":");
      JsonNode error = ProxyHttpTest.JSON.readTree(tail.strip().substring(6)).get("error");
      assertThat(error.get("type").asString()).isEqualTo("authentication_error");
      assertThat(error.get("code").asString()).isEqualTo("token_revoked");
      String ref = error.get("audit_ref").asString();
      assertThat(error.get("message").asString()).contains("revoked").contains(ref);
      assertCutRecorded(s, ref);

      // Anthropic, expired mid-stream.
      String anthropic =
          ProxyHttpTest.token(
              s.root(), "anthropic", "sk-ant-api03-cut-0123456789", up.host(), Map.of(), "2s");
      BufferedReader b = open(s, up, anthropic, "/v1/hold");
      assertThat(b.readLine()).isEqualTo(FIRST);
      String[] lines = rest(b).strip().split("\n");
      assertThat(lines).hasSize(2);
      assertThat(lines[0]).isEqualTo("event: error");
      JsonNode body = ProxyHttpTest.JSON.readTree(lines[1].substring(6));
      assertThat(body.get("type").asString()).isEqualTo("error");
      assertThat(body.get("error").get("type").asString()).isEqualTo("authentication_error");
      ref = body.get("error").get("audit_ref").asString();
      assertThat(body.get("error").get("message").asString()).contains("expired").contains(ref);
      assertCutRecorded(s, ref);

      // Any other provider, the upstream failing mid-stream.
      String github =
          ProxyHttpTest.token(
              s.root(), "github", "ghp_cut0123456789abcdefXYZ", up.host(), Map.of());
      BufferedReader c = open(s, up, github, "/v1/fail");
      assertThat(c.readLine()).isEqualTo(FIRST);
      lines = rest(c).strip().split("\n");
      assertThat(lines).hasSize(2);
      assertThat(lines[0]).isEqualTo("event: error");
      body = ProxyHttpTest.JSON.readTree(lines[1].substring(6));
      assertThat(body.get("type").asString()).endsWith("/proxy-cut");
      assertThat(body.get("code").asString()).isEqualTo("upstream_failed");
      assertThat(body.get("error").get("code").asString()).isEqualTo("upstream_failed");
      assertCutRecorded(s, body.get("audit_ref").asString());
    }
  }

  @org.junit.jupiter.api.Test
  void proxy_streamPastTheTimeout_endsWithTheTimeoutEvent() throws Exception {
    try (CutUpstream up = new CutUpstream();
        TestServer s =
            TestServer.start(
                TestStore.SQLITE,
                Map.of("proxy.insecure_upstreams", up.host(), "proxy.timeout", "2s"))) {
      s.root().send("PUT", "/policies/KEY-SCOPE-17", ProxyHttpTest.POLICY, "application/yaml");
      String openai =
          ProxyHttpTest.token(s.root(), "openai", "sk-proj-slow-0123456789ab", up.host(), Map.of());
      BufferedReader a = open(s, up, openai, "/v1/hold");
      assertThat(a.readLine()).isEqualTo(FIRST);
      String tail = rest(a).strip();
      assertThat(tail).startsWith("data: {\"error\":");
      JsonNode error = ProxyHttpTest.JSON.readTree(tail.substring(6)).get("error");
      assertThat(error.get("code").asString()).isEqualTo("upstream_timeout");
      assertThat(error.get("type").asString()).isEqualTo("server_error");
      assertCutRecorded(s, error.get("audit_ref").asString());
    }
  }

  @org.junit.jupiter.api.Test
  void proxy_smallAnswerBrokenOff_isTheBrokersProblemWithoutTheUpstreamsHeaders() throws Exception {
    try (CutUpstream up = new CutUpstream();
        TestServer s = ProxyHttpTest.server(TestStore.SQLITE, up.host())) {
      String token =
          ProxyHttpTest.token(s.root(), "openai", "sk-proj-short-0123456789a", up.host(), Map.of());
      RawHttp.Answer a =
          RawHttp.exchange(
              s.server().port(),
              "POST",
              "/proxy/" + up.host() + "/v1/short",
              Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json"),
              "{}".getBytes(StandardCharsets.UTF_8));
      assertThat(a.status()).as(a.body()).isEqualTo(502);
      assertThat(a.values("content-type")).containsExactly("application/problem+json");
      assertThat(a.count("x-upstream")).isZero();
      assertThat(a.body()).contains("broke off").contains("\"audit_ref\":\"AU-");
    }
  }

  private static void assertCutRecorded(TestServer s, String ref) {
    long offset = Long.parseLong(ref.substring(3));
    String record =
        s.server()
            .database()
            .read(
                h ->
                    h.createQuery("SELECT record FROM audit_records WHERE audit_offset = :o")
                        .bind("o", offset)
                        .mapTo(String.class)
                        .one());
    assertThat(record).contains("\"proxy.complete\"").contains("\"deny\"");
  }

  private static BufferedReader open(TestServer s, CutUpstream up, String token, String path)
      throws Exception {
    HttpResponse<InputStream> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(s.server().baseUrl() + "/proxy/" + up.host() + path))
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"stream\":true}"))
                    .header("Content-Type", "application/json")
                    .build(),
                HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().allValues("content-type")).containsExactly("text/event-stream");
    return new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
  }

  private static String rest(BufferedReader in) throws Exception {
    StringBuilder b = new StringBuilder();
    for (String l = in.readLine(); l != null; l = in.readLine()) {
      b.append(l).append('\n');
    }
    return b.toString();
  }

  /**
   * An upstream on a plain socket: one whole event and the first half of another, then on {@code
   * /v1/hold} nothing more until the broker goes away, on {@code /v1/fail} a connection closed
   * without the end of the chunked body.
   */
  static final class CutUpstream implements AutoCloseable {
    private final ServerSocket server;
    private final CountDownLatch closed = new CountDownLatch(1);

    CutUpstream() throws Exception {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread t = new Thread(this::serve, "cut-upstream");
      t.setDaemon(true);
      t.start();
    }

    String host() {
      return "127.0.0.1:" + server.getLocalPort();
    }

    private void serve() {
      while (!server.isClosed()) {
        try {
          Socket c = server.accept();
          Thread t = new Thread(() -> answer(c), "cut-upstream-call");
          t.setDaemon(true);
          t.start();
        } catch (Exception stopped) {
          return;
        }
      }
    }

    private void answer(Socket c) {
      try (c) {
        InputStream in = c.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
          int ch = in.read();
          if (ch < 0) {
            return;
          }
          head.append((char) ch);
        }
        String h = head.toString().toLowerCase(java.util.Locale.ROOT);
        int at = h.indexOf("content-length:");
        if (at >= 0) {
          in.readNBytes(Integer.parseInt(h.substring(at + 15, h.indexOf('\r', at)).trim()));
        }
        OutputStream out = c.getOutputStream();
        if (h.startsWith("post /v1/short")) {
          out.write(
              ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Upstream: yes\r\n"
                      + "Content-Length: 100\r\n\r\n{\"partial\":")
                  .getBytes(StandardCharsets.US_ASCII));
          out.flush();
          return; // closed 88 bytes short
        }
        out.write(
            ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        chunk(out, FIRST + "\n\n");
        chunk(out, "data: {\"partial\":");
        out.flush();
        if (h.startsWith("post /v1/hold")) {
          closed.await(30, TimeUnit.SECONDS);
        }
        // /v1/fail: the socket closes here, mid-body
      } catch (Exception gone) {
        // the broker cut the call
      }
    }

    private static void chunk(OutputStream out, String s) throws java.io.IOException {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      out.write((Integer.toHexString(b.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(b);
      out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }

    @Override
    public void close() throws Exception {
      closed.countDown();
      server.close();
    }
  }
}
