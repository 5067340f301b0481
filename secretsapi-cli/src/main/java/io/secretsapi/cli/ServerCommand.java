package io.secretsapi.cli;

import io.secretsapi.access.IssuedApiKey;
import io.secretsapi.server.Server;
import io.secretsapi.server.ServerConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code secretsapi server}: runs the broker until it is stopped. */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = {
      "Run the broker.",
      "--dev: 127.0.0.1:8200, SQLite store and key file under ./data; prints a root key on first start.",
      "--config FILE: a YAML file; every key can be overridden by a SECRETSAPI_* environment variable."
    })
final class ServerCommand implements Callable<Integer> {
  @Option(names = "--dev", description = "Local broker with an embedded SQLite store under ./data")
  boolean dev;

  @Option(names = "--config", paramLabel = "FILE", description = "Configuration file (YAML)")
  Path config;

  @Override
  public Integer call() throws InterruptedException {
    if (!dev && config == null) {
      throw new IllegalArgumentException(
          "say how to run: --dev for a local broker, or --config FILE");
    }
    ServerConfig cfg = ServerConfig.load(Optional.ofNullable(config), System.getenv(), Map.of());
    Server server;
    try {
      server = Server.start(cfg);
    } catch (Server.ListenException e) {
      LoggerFactory.getLogger(Server.class).error(e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "secretsapi-shutdown"));
    banner(System.out, server, cfg);
    stopped.await();
    return 0;
  }

  /** The root key, when this start made one: on standard output, once, apart from the log. */
  private void banner(PrintStream out, Server server, ServerConfig cfg) {
    Optional<IssuedApiKey> root = server.rootKey();
    if (root.isEmpty()) {
      return;
    }
    String addr =
        (cfg.tlsCertFile().isPresent() ? "https" : "http")
            + "://"
            + cfg.listenHost()
            + ":"
            + server.port();
    out.println();
    out.println(
        "Root API key (scope admin). It is shown once, now; the broker keeps only its hash:");
    out.println();
    out.println("  " + root.get().plaintext());
    out.println();
    out.println("  export SECRETSAPI_ADDR=" + addr);
    out.println("  export SECRETSAPI_TOKEN=" + root.get().plaintext());
    out.println();
    boolean sqlite =
        io.secretsapi.storage.StoreUrl.parse(cfg.storeUrl()).dialect()
            == io.secretsapi.storage.Dialect.SQLITE;
    out.println(
        "Lost it? "
            + (sqlite ? "Stop the broker and run" : "Run")
            + ": secretsapi admin root-key "
            + origin());
    out.println();
    out.flush();
  }

  private String origin() {
    return dev ? "--dev" : "--config " + config;
  }
}
