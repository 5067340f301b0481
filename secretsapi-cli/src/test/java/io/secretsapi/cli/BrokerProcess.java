package io.secretsapi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.client.SecretsApiClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A broker in its own JVM, started by the real {@code server} command, and its root key. */
final class BrokerProcess {
  private static final Pattern ROOT_KEY = Pattern.compile("^\\s+(sk_[A-Za-z0-9_-]{60})$");

  /** A configuration file in {@code dir}: loopback on {@code port}, SQLite and a KEK file there. */
  static Path sqliteConfig(Path dir, int port) throws java.io.IOException {
    Path config = dir.resolve("secretsapi.yaml");
    java.nio.file.Files.writeString(
        config,
        "listen: 127.0.0.1:"
            + port
            + "\nstore:\n  url: sqlite:"
            + dir.resolve("broker.db")
            + "\nkek:\n  file: "
            + dir.resolve("kek.json")
            + "\n");
    return config;
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  final Process process;
  final String rootKey;

  private BrokerProcess(Process process, String rootKey) {
    this.process = process;
    this.rootKey = rootKey;
  }

  static BrokerProcess start(Path config, int port, boolean firstStart) throws Exception {
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
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String key = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    String line;
    boolean listening = false;
    while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
      listening |= line.contains("listening on http");
      Matcher m = ROOT_KEY.matcher(line);
      if (m.matches()) {
        key = m.group(1);
      }
      if (listening && (!firstStart || key != null)) {
        break;
      }
    }
    Thread drain =
        new Thread(
            () -> {
              try {
                out.lines().forEach(l -> {});
              } catch (java.io.UncheckedIOException killed) {
                // the broker was killed: its output closed
              }
            });
    drain.setDaemon(true);
    drain.start();
    SecretsApiClient probe = SecretsApiClient.create("http://127.0.0.1:" + port, null);
    assertThat(probe.send("GET", "/health/ready", null, null).status()).isEqualTo(200);
    return new BrokerProcess(p, key);
  }
}
