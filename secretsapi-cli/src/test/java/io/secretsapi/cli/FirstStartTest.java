package io.secretsapi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.client.Response;
import io.secretsapi.client.SecretsApiClient;
import io.secretsapi.testing.TestDatabases;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A new user is never locked out: the root key is made only by a start that serves, and an operator
 * who lost it mints another offline with the key-encryption key.
 */
class FirstStartTest {
  private static final Pattern KEY = Pattern.compile("sk_[A-Za-z0-9_-]{60}");

  @Test
  void serverDev_portTakenThenFree_firstFailsInOneLineSecondPrintsWorkingKey() throws Exception {
    Path dir = TestDatabases.tempDir("first-start-");
    String out;
    int taken;
    try (ServerSocket holder = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      taken = holder.getLocalPort();
      Process p = dev(dir, taken);
      assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("the start gives up at once").isTrue();
      out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as(out).isEqualTo(1);
    }
    List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
    assertThat(lines).as("one line").hasSize(1);
    assertThat(lines.get(0))
        .contains("cannot listen on 127.0.0.1:" + taken)
        .contains("SECRETSAPI_LISTEN")
        .doesNotContain("Exception");
    assertThat(KEY.matcher(out).find()).as("no key shown").isFalse();
    assertThat(Files.exists(dir.resolve("data/secretsapi.db"))).isTrue();

    int port = BrokerProcess.freePort();
    Process broker = dev(dir, port);
    try {
      String key = rootKeyOf(broker);
      SecretsApiClient client = SecretsApiClient.create("http://127.0.0.1:" + port, key);
      Response r = client.send("GET", "/service-accounts", null, null);
      assertThat(r.status()).as("the key shown on the start that serves works").isEqualTo(200);
      assertThat(r.body()).contains("\"name\":\"root\"");
    } finally {
      broker.destroy();
      broker.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void adminRootKey_lostRootKey_mintsWorkingKeyRecordedInTrail() throws Exception {
    Path dir = TestDatabases.tempDir("root-key-");
    int port = BrokerProcess.freePort();
    Path config = BrokerProcess.sqliteConfig(dir, port);
    BrokerProcess first = startedAndStopped(config, port);

    Ran minted = adminRootKey(config);
    assertThat(minted.code()).as(minted.err()).isZero();
    Matcher m = KEY.matcher(minted.out());
    assertThat(m.find()).as(minted.out()).isTrue();
    String key = m.group();
    assertThat(key).isNotEqualTo(first.rootKey);

    BrokerProcess again = BrokerProcess.start(config, port, false);
    try {
      SecretsApiClient client = SecretsApiClient.create("http://127.0.0.1:" + port, key);
      assertThat(client.send("GET", "/service-accounts", null, null).status()).isEqualTo(200);
      String trail =
          client.send("GET", "/audit/trail?type=key.create&limit=100", null, null).body();
      assertThat(trail)
          .contains("\"actor\":\"operator\"")
          .contains("secretsapi admin root-key")
          .contains(key.substring(0, key.indexOf('_', 3)))
          .doesNotContain(key);
    } finally {
      again.process.destroy();
      again.process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void adminRootKey_otherKeyEncryptionKey_refusedAndMintsNothing() throws Exception {
    Path dir = TestDatabases.tempDir("root-key-kek-");
    int port = BrokerProcess.freePort();
    Path config = BrokerProcess.sqliteConfig(dir, port);
    BrokerProcess first = startedAndStopped(config, port);
    Files.move(dir.resolve("kek.json"), dir.resolve("kek.json.real"));
    io.secretsapi.crypto.KeyEncryptionKey.loadOrCreate(dir.resolve("kek.json")); // another KEK

    Ran minted = adminRootKey(config);

    assertThat(minted.code()).isEqualTo(1);
    assertThat(minted.err()).contains("does not open this store");
    assertThat(KEY.matcher(minted.out()).find()).isFalse();
    Files.move(
        dir.resolve("kek.json.real"),
        dir.resolve("kek.json"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    BrokerProcess again = BrokerProcess.start(config, port, false);
    try {
      SecretsApiClient client = SecretsApiClient.create("http://127.0.0.1:" + port, first.rootKey);
      assertThat(client.send("GET", "/api-keys", null, null).body())
          .as("no key was minted")
          .containsOnlyOnce("\"id\":\"sk_");
    } finally {
      again.process.destroy();
      again.process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** What a command line printed and answered. */
  record Ran(int code, String out, String err) {}

  private static Ran adminRootKey(Path config) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            new PrintWriter(out),
            new PrintWriter(err),
            "admin",
            "root-key",
            "--config",
            "" + config);
    return new Ran(code, out.toString(), err.toString());
  }

  /** A broker's first start on {@code config}, stopped: its store and KEK, and its root key. */
  private static BrokerProcess startedAndStopped(Path config, int port) throws Exception {
    BrokerProcess first = BrokerProcess.start(config, port, true);
    first.process.destroy();
    first.process.waitFor(30, TimeUnit.SECONDS);
    return first;
  }

  private static Process dev(Path dir, int port) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder pb =
        new ProcessBuilder(
                java,
                "-Dlogback.configurationFile=logback.xml", // the distribution's, not the tests'
                "-cp",
                System.getProperty("java.class.path"),
                "io.secretsapi.cli.Main",
                "server",
                "--dev")
            .directory(dir.toFile())
            .redirectErrorStream(true);
    pb.environment().put("SECRETSAPI_LISTEN", "127.0.0.1:" + port);
    pb.environment().remove("SECRETSAPI_STORE_URL");
    pb.environment().remove("SECRETSAPI_KEK");
    return pb.start();
  }

  private static String rootKeyOf(Process broker) throws Exception {
    var reader =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(broker.getInputStream(), StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    String line;
    while (System.nanoTime() < deadline && (line = reader.readLine()) != null) {
      Matcher m = KEY.matcher(line);
      if (line.startsWith("  sk_") && m.find()) {
        Thread drain = new Thread(() -> reader.lines().forEach(l -> {}));
        drain.setDaemon(true);
        drain.start();
        return m.group();
      }
    }
    throw new AssertionError("no root key printed");
  }
}
