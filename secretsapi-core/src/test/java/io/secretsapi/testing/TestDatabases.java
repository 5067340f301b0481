package io.secretsapi.testing;

import io.secretsapi.Ids;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Real databases for tests.
 *
 * <p>PostgreSQL comes from, in order: {@code SECRETSAPI_TEST_PG_URL} (a {@code postgresql://} URL
 * of a user allowed to create databases); an embedded server from Maven Central (zonky), when the
 * build does not run as root; or, as root (where initdb refuses to run), the machine's PostgreSQL
 * binaries started under an unprivileged user. When none works the tests fail with the reason:
 * PostgreSQL is never skipped silently.
 */
public final class TestDatabases {
  private static volatile Postgres postgres;

  private TestDatabases() {}

  /** A temporary folder for one test's files under {@code target/test-tmp}. */
  public static Path tempDir(String prefix) {
    try {
      Path base =
          Path.of(System.getProperty("secretsapi.test.tmp", System.getProperty("java.io.tmpdir")));
      Files.createDirectories(base);
      return Files.createTempDirectory(base, prefix);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a temporary folder", e);
    }
  }

  static String freshSqlite() {
    return "sqlite:" + tempDir("sqlite-").resolve("secretsapi.db");
  }

  static String freshPostgres() {
    Postgres pg = server();
    String db = Ids.random("t_", 16);
    try (Connection c = pg.connect("postgres")) {
      c.createStatement().execute("CREATE DATABASE " + db);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database on " + pg.describe(), e);
    }
    return pg.url(db);
  }

  private static Postgres server() {
    Postgres p = postgres;
    if (p == null) {
      synchronized (TestDatabases.class) {
        p = postgres;
        if (p == null) {
          p = start();
          postgres = p;
        }
      }
    }
    return p;
  }

  private static Postgres start() {
    String env = System.getenv("SECRETSAPI_TEST_PG_URL");
    if (env != null && !env.isBlank()) {
      return Postgres.external(env);
    }
    if (isRoot()) {
      return LocalPostgres.start();
    }
    try {
      EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(embedded)));
      return Postgres.onPort("127.0.0.1", embedded.getPort(), "postgres", "postgres");
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(
          "cannot start embedded PostgreSQL; set SECRETSAPI_TEST_PG_URL to a PostgreSQL 15+ server",
          e);
    }
  }

  private static void closeQuietly(EmbeddedPostgres pg) {
    try {
      pg.close();
    } catch (IOException e) {
      // shutting down anyway
    }
  }

  static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** Where a PostgreSQL server answers, and how to reach one of its databases. */
  record Postgres(String host, int port, String user, String password, String query) {
    static Postgres onPort(String host, int port, String user, String password) {
      return new Postgres(host, port, user, password, "");
    }

    static Postgres external(String url) {
      java.net.URI u = java.net.URI.create(url.replaceFirst("^jdbc:", ""));
      String[] info =
          u.getUserInfo() == null ? new String[] {"postgres"} : u.getUserInfo().split(":", 2);
      return new Postgres(
          u.getHost(),
          u.getPort() > 0 ? u.getPort() : 5432,
          info[0],
          info.length > 1 ? info[1] : null,
          u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    }

    String url(String db) {
      String auth = password == null ? user : user + ":" + password;
      return "postgresql://" + auth + "@" + host + ":" + port + "/" + db + query;
    }

    Connection connect(String db) throws SQLException {
      Properties p = new Properties();
      p.setProperty("user", user);
      if (password != null) {
        p.setProperty("password", password);
      }
      return DriverManager.getConnection(
          "jdbc:postgresql://" + host + ":" + port + "/" + db + query, p);
    }

    String describe() {
      return host + ":" + port;
    }
  }
}
