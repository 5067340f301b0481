package io.secretsapi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The distribution as a user runs it: {@code java -jar secretsapi.jar server --dev}, the shaded jar
 * that {@code package} made, not the tests' class path. Every part that loads classes at start or
 * on first use (the API, the console, the MCP endpoint) answers; a dependency the tests have and
 * the jar lacks fails here.
 */
class DistributionIT {
  private static final Pattern KEY = Pattern.compile("sk_[A-Za-z0-9_-]{60}");

  @Test
  void serverDev_shadedJar_startsAndServesApiConsoleAndMcp() throws Exception {
    Path jar = Path.of("target", "secretsapi.jar").toAbsolutePath();
    assertThat(jar).exists();
    Path dir = Files.createTempDirectory("secretsapi-dist-");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder pb =
        new ProcessBuilder(java, "-jar", jar.toString(), "server", "--dev")
            .directory(dir.toFile())
            .redirectErrorStream(true);
    pb.environment().put("SECRETSAPI_LISTEN", "127.0.0.1:" + port);
    pb.environment().remove("SECRETSAPI_STORE_URL");
    pb.environment().remove("SECRETSAPI_KEK");
    Process broker = pb.start();
    StringBuilder out = new StringBuilder();
    try {
      String key = rootKey(broker, out);
      String base = "http://127.0.0.1:" + port;
      HttpClient http = HttpClient.newHttpClient();

      HttpResponse<String> ready =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(),
              HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> secrets =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/secrets"))
                  .header("Authorization", "Bearer " + key)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> console =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/console/login")).build(),
              HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> mcp =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/mcp"))
                  .header("Authorization", "Bearer " + key)
                  .header("Content-Type", "application/json")
                  .header("Accept", "application/json, text/event-stream")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(ready.statusCode()).as(out.toString()).isEqualTo(200);
      assertThat(secrets.statusCode()).as(secrets.body()).isEqualTo(200);
      assertThat(console.statusCode()).isEqualTo(200);
      assertThat(console.body()).contains("<form");
      assertThat(mcp.statusCode()).as(mcp.body()).isEqualTo(200);
      assertThat(mcp.body()).contains("request_token");
    } finally {
      broker.destroy();
      broker.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /**
   * The root key the broker prints, read on a thread of its own so that a broker that neither
   * prints it nor exits fails the test at the deadline instead of hanging it.
   */
  private static String rootKey(Process broker, StringBuilder out) throws Exception {
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(broker.getInputStream(), StandardCharsets.UTF_8));
    java.util.concurrent.CompletableFuture<String> key =
        new java.util.concurrent.CompletableFuture<>();
    Thread read =
        new Thread(
            () -> {
              try {
                String line;
                while ((line = reader.readLine()) != null) {
                  synchronized (out) {
                    out.append(line).append('\n');
                  }
                  Matcher m = KEY.matcher(line);
                  if (line.startsWith("  sk_") && m.find()) {
                    key.complete(m.group());
                  }
                }
              } catch (java.io.IOException e) {
                // the broker ended
              }
              key.complete(null);
            });
    read.setDaemon(true);
    read.start();
    String k;
    try {
      k = key.get(90, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      k = null;
    }
    if (k == null) {
      synchronized (out) {
        throw new AssertionError("no root key printed (alive: " + broker.isAlive() + "):\n" + out);
      }
    }
    return k;
  }
}
