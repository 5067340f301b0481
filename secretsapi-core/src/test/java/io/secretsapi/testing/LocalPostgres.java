package io.secretsapi.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Starts the machine's PostgreSQL binaries (Debian's {@code /usr/lib/postgresql/N/bin}) under an
 * unprivileged user, for builds that run as root, where initdb refuses to run. The server lives in
 * a temporary folder, listens on loopback only, and stops when the JVM exits, which then deletes
 * the folder: a run leaves no data directory behind (each holds several hundred MB of databases and
 * WAL by the end of a module's tests).
 */
final class LocalPostgres {
  private LocalPostgres() {}

  static TestDatabases.Postgres start() {
    Path bin = findBin();
    String user = userExists("postgres") ? "postgres" : "nobody";
    try {
      Path dir = Files.createTempDirectory("secretsapi-pg-");
      run(List.of("chown", user, dir.toString()));
      Path data = dir.resolve("data");
      int port = freePort();
      runAs(
          user,
          List.of(
              bin.resolve("initdb").toString(),
              "-D",
              data.toString(),
              "-A",
              "trust",
              "-U",
              "postgres",
              "-E",
              "UTF8",
              "--no-sync",
              "--locale=C"));
      runAs(
          user,
          List.of(
              bin.resolve("pg_ctl").toString(),
              "-D",
              data.toString(),
              "-l",
              dir.resolve("log").toString(),
              "-w",
              "-t",
              "60",
              "-o",
              "-p "
                  + port
                  + " -k "
                  + dir
                  + " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300",
              "start"));
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(user, bin, dir)));
      return TestDatabases.Postgres.onPort("127.0.0.1", port, "postgres", null);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start PostgreSQL from " + bin, e);
    }
  }

  private static void stop(String user, Path bin, Path dir) {
    try {
      runAs(
          user,
          List.of(
              bin.resolve("pg_ctl").toString(),
              "-D",
              dir.resolve("data").toString(),
              "-m",
              "immediate",
              "stop"));
      deleteTree(dir);
    } catch (RuntimeException | IOException e) {
      // the JVM is exiting: a server that would not stop keeps its folder
    }
  }

  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  static Path findBin() {
    Path root = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(root)) {
      try (Stream<Path> s = Files.list(root)) {
        var found =
            s.map(p -> p.resolve("bin"))
                .filter(p -> Files.isExecutable(p.resolve("initdb")))
                .max(Comparator.comparing(p -> versionOf(p.getParent().getFileName().toString())));
        if (found.isPresent()) {
          return found.get();
        }
      } catch (IOException e) {
        // fall through to the error below
      }
    }
    throw new IllegalStateException(
        "tests run as root, where embedded PostgreSQL cannot start (initdb refuses root), and no PostgreSQL"
            + " binaries were found under /usr/lib/postgresql: run .ci/run (it installs them), or set"
            + " SECRETSAPI_TEST_PG_URL, or run the build as an unprivileged user");
  }

  private static int versionOf(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  static boolean userExists(String name) {
    try {
      return Files.readAllLines(Path.of("/etc/passwd")).stream()
          .anyMatch(l -> l.startsWith(name + ":"));
    } catch (IOException e) {
      return false;
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static void runAs(String user, List<String> command) throws IOException {
    List<String> full = new ArrayList<>(List.of("runuser", "-u", user, "--"));
    full.addAll(command);
    run(full);
  }

  static void run(List<String> command) throws IOException {
    // Output goes to a file, not a pipe: the server that pg_ctl forks would hold a pipe open.
    Path out = Files.createTempFile("secretsapi-pg-cmd-", ".log");
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    try {
      boolean done = p.waitFor(120, TimeUnit.SECONDS);
      if (!done || p.exitValue() != 0) {
        throw new IllegalStateException(
            "command failed: " + String.join(" ", command) + "\n" + Files.readString(out));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command.get(0), e);
    } finally {
      Files.deleteIfExists(out);
    }
  }
}
