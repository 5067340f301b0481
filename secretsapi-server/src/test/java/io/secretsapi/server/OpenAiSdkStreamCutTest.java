package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.secretsapi.testing.TestStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The official OpenAI SDK for Node ({@code examples/openai-node}, its pinned {@code openai})
 * streams a chat completion through the broker from a loopback stand-in; the token is revoked
 * mid-stream, and the SDK must raise its {@code APIError} with the cut's audit ref, not end the
 * loop quietly.
 *
 * <p>Installs the SDK itself ({@code npm ci}) when {@code node_modules} is missing. Without {@code
 * node} on the PATH it fails on CI ({@code .ci/run} installs Debian's {@code nodejs} and {@code
 * npm}) and is skipped, saying so, elsewhere.
 */
class OpenAiSdkStreamCutTest {
  static final Path EXAMPLE = NodeExamples.example("openai-node");

  @Test
  void openAiSdk_tokenRevokedMidStream_raisesApiErrorWithTheAuditRef() throws Exception {
    NodeExamples.requireNode("the official OpenAI SDK check");
    NodeExamples.install(EXAMPLE, "openai");
    CountDownLatch release = new CountDownLatch(1);
    HttpServer up = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    up.createContext(
        "/",
        ex -> {
          ex.getRequestBody().readAllBytes();
          ex.getResponseHeaders().add("Content-Type", "text/event-stream");
          ex.sendResponseHeaders(200, 0);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(chunk("Hello").getBytes(StandardCharsets.UTF_8));
            out.flush();
            release.await(30, TimeUnit.SECONDS);
            out.write((chunk(" again") + "data: [DONE]\n\n").getBytes(StandardCharsets.UTF_8));
          } catch (Exception cut) {
            // the broker cut the call
          }
        });
    up.start();
    String host = "127.0.0.1:" + up.getAddress().getPort();
    try (TestServer s = ProxyHttpTest.server(TestStore.SQLITE, host)) {
      String token =
          ProxyHttpTest.token(s.root(), "openai", "sk-proj-sdk-0123456789abcdef", host, Map.of());
      ProcessBuilder pb = new ProcessBuilder("node", "cut-check.mjs").directory(EXAMPLE.toFile());
      pb.environment().put("SECRETSAPI_ADDR", s.server().baseUrl());
      pb.environment().put("SECRETSAPI_UPSTREAM", host);
      pb.environment().put("SECRETSAPI_TOKEN", token);
      pb.redirectError(ProcessBuilder.Redirect.PIPE);
      Process node = pb.start();
      try {
        BufferedReader out =
            new BufferedReader(
                new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String l = out.readLine(); l != null && !l.equals("FIRST"); l = out.readLine()) {
          seen.append(l).append('\n');
        }
        assertThat(seen.toString()).contains("chunk Hello");
        String jti =
            s.root()
                .call("POST", "/tokens/introspect", Map.of("token", token))
                .get("jti")
                .asString();
        s.root().call("POST", "/access/revoke", Map.of("token_id", jti));
        assertThat(node.waitFor(60, TimeUnit.SECONDS)).as("node ends").isTrue();
        String stdout = new String(out.lines().reduce("", (a, b) -> a + b + "\n"));
        String stderr = new String(node.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(stdout).doesNotContain("without an error").doesNotContain("again");
        assertThat(node.exitValue()).as(stderr).isEqualTo(1);
        assertThat(stderr)
            .startsWith("APIError: the broker cut the stream: the scoped token was revoked")
            .containsPattern("\\(audit ref AU-[0-9]+\\)");
      } finally {
        node.destroyForcibly();
        release.countDown();
      }
    } finally {
      up.stop(0);
    }
  }

  private static String chunk(String content) {
    return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":0,"
        + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\""
        + content
        + "\"},\"finish_reason\":null}]}\n\n";
  }
}
