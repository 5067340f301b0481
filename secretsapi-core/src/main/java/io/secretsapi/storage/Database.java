package io.secretsapi.storage;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.secretsapi.SecretsApiException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * The broker's store: a pooled data source, Jdbi over it, and the migrations.
 *
 * <p>SQLite runs in WAL mode with {@code synchronous=FULL} (a commit is on disk before it returns),
 * foreign keys on, and write transactions that start with {@code BEGIN IMMEDIATE} so that
 * concurrent writers queue on the busy timeout instead of failing on a lock upgrade. PostgreSQL
 * runs at READ COMMITTED with row locks where a feature needs them. Thread-safe.
 */
public final class Database implements AutoCloseable {
  private final StoreUrl url;
  private final HikariDataSource dataSource;
  private final Jdbi jdbi;

  private Database(StoreUrl url, HikariDataSource dataSource) {
    this.url = url;
    this.dataSource = dataSource;
    this.jdbi = Jdbi.create(dataSource);
  }

  /** Opens the store and brings its schema up to date. */
  public static Database open(StoreUrl url) {
    requireNonNull(url, "url");
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url.jdbcUrl());
    config.setPoolName("secretsapi-store");
    url.user().ifPresent(config::setUsername);
    url.password().ifPresent(config::setPassword);
    if (url.dialect() == Dialect.SQLITE) {
      url.sqlitePath().ifPresent(Database::createPrivateFile);
      config.setMaximumPoolSize(8);
      config.addDataSourceProperty("journal_mode", "WAL");
      config.addDataSourceProperty("synchronous", "FULL");
      config.addDataSourceProperty("foreign_keys", "true");
      config.addDataSourceProperty("busy_timeout", "10000");
      config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
    } else {
      config.setMaximumPoolSize(16);
    }
    config.setConnectionTimeout(10_000);
    HikariDataSource ds;
    try {
      ds = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new StoreUnavailableException(
          "cannot open store " + url.dialect().name().toLowerCase(), e);
    }
    try {
      migrate(url, ds);
      return new Database(url, ds);
    } catch (RuntimeException e) {
      ds.close();
      throw e;
    }
  }

  /**
   * Creates the SQLite file with mode 0600 before SQLite does, so that the file (and the WAL and
   * shared-memory files SQLite makes with the same mode) is readable by the broker's user only.
   */
  private static void createPrivateFile(Path file) {
    Path abs = file.toAbsolutePath();
    try {
      Files.createDirectories(abs.getParent());
      if (!Files.exists(abs)) {
        Files.createFile(abs);
        Files.setPosixFilePermissions(
            abs, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      }
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the operator secures the folder
    } catch (java.io.IOException e) {
      throw new StoreUnavailableException("cannot create store file " + abs, e);
    }
  }

  private static void migrate(StoreUrl url, HikariDataSource ds) {
    boolean pg = url.dialect() == Dialect.POSTGRES;
    Flyway.configure()
        .dataSource(ds)
        .locations("classpath:db/migration")
        .placeholders(
            Map.of(
                "blob",
                pg ? "BYTEA" : "BLOB",
                "autoinc",
                pg
                    ? "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
                    : "INTEGER PRIMARY KEY AUTOINCREMENT"))
        .load()
        .migrate();
  }

  public Dialect dialect() {
    return url.dialect();
  }

  public StoreUrl url() {
    return url;
  }

  /** The Jdbi instance for feature stores; prefer {@link #inTransaction} for writes. */
  public Jdbi jdbi() {
    return jdbi;
  }

  /** Runs {@code work} in one transaction: all of it commits, or none of it. */
  public <R> R inTransaction(TransactionWork<R> work) {
    try {
      return jdbi.inTransaction(TransactionIsolationLevel.READ_COMMITTED, work::run);
    } catch (SecretsApiException e) {
      throw e;
    } catch (JdbiException e) {
      throw new StoreUnavailableException("store refused the transaction: " + rootMessage(e), e);
    }
  }

  /** Runs a read outside any explicit transaction. */
  public <R> R read(TransactionWork<R> work) {
    try {
      return jdbi.withHandle(work::run);
    } catch (SecretsApiException e) {
      throw e;
    } catch (JdbiException e) {
      throw new StoreUnavailableException("store refused the read: " + rootMessage(e), e);
    }
  }

  /** True when the store answers a trivial query within a second. */
  public boolean isReachable() {
    try (var c = dataSource.getConnection()) {
      return c.isValid(1);
    } catch (SQLException | RuntimeException e) {
      return false;
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    String m = t.getMessage();
    return m == null ? t.getClass().getSimpleName() : m;
  }

  @Override
  public void close() {
    dataSource.close();
  }

  /** Work done with one handle. */
  @FunctionalInterface
  public interface TransactionWork<R> {
    R run(Handle handle);
  }
}
