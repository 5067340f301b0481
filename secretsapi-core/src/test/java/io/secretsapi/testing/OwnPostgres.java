package io.secretsapi.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A PostgreSQL server of a test's own, from the machine's binaries ({@code
 * /usr/lib/postgresql/N/bin}, which {@code .ci/run} installs), that the test may stop and start
 * again: for outages, which the shared server of the other tests must not suffer. Runs under an
 * unprivileged user when the build runs as root. {@link #close} stops it and deletes its folder.
 */
public final class OwnPostgres implements AutoCloseable {
  private final Path bin;
  private final Path dir;
  private final String user;
  private final int port;

  private OwnPostgres(Path bin, Path dir, String user, int port) {
    this.bin = bin;
    this.dir = dir;
    this.user = user;
    this.port = port;
  }

  /** Creates and starts a server on a free loopback port. */
  public static OwnPostgres start() {
    Path bin = LocalPostgres.findBin();
    boolean root = TestDatabases.isRoot();
    String user =
        !root
            ? System.getProperty("user.name")
            : LocalPostgres.userExists("postgres") ? "postgres" : "nobody";
    try {
      Path dir = Files.createTempDirectory("secretsapi-own-pg-");
      OwnPostgres pg = new OwnPostgres(bin, dir, user, LocalPostgres.freePort());
      if (root) {
        LocalPostgres.run(List.of("chown", user, dir.toString()));
      }
      pg.run(
          List.of(
              bin.resolve("initdb").toString(),
              "-D",
              dir.resolve("data").toString(),
              "-A",
              "trust",
              "-U",
              "postgres",
              "-E",
              "UTF8",
              "--no-sync",
              "--locale=C"));
      pg.resume();
      return pg;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start PostgreSQL from " + bin, e);
    }
  }

  /** The store URL of its {@code postgres} database. */
  public String url() {
    return "postgresql://postgres@127.0.0.1:" + port + "/postgres";
  }

  /** Stops the server (fast shutdown: sessions are ended, as by an operator or a failover). */
  public void stop() {
    pgCtl("-m", "fast", "stop");
  }

  /** Starts the server again on the same port and data; returns once it accepts connections. */
  public void resume() {
    pgCtl(
        "-l",
        dir.resolve("log").toString(),
        "-w",
        "-t",
        "60",
        "-o",
        "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off",
        "start");
  }

  private void pgCtl(String... args) {
    List<String> command = new ArrayList<>();
    command.add(bin.resolve("pg_ctl").toString());
    command.add("-D");
    command.add(dir.resolve("data").toString());
    command.addAll(List.of(args));
    try {
      run(command);
    } catch (IOException e) {
      throw new IllegalStateException("pg_ctl failed", e);
    }
  }

  private void run(List<String> command) throws IOException {
    if (TestDatabases.isRoot()) {
      LocalPostgres.runAs(user, command);
    } else {
      LocalPostgres.run(command);
    }
  }

  @Override
  public void close() {
    try {
      pgCtl("-m", "immediate", "stop");
    } catch (RuntimeException e) {
      // stopped already
    }
    try {
      LocalPostgres.deleteTree(dir);
    } catch (IOException e) {
      // a temporary folder: the machine cleans it
    }
  }
}
