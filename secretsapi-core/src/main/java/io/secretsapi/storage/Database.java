package io.secretsapi.storage;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import io.secretsapi.SecretsApiException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * The broker's store: pooled connections, Jdbi over them, the one write path, and the migrations.
 *
 * <p>SQLite runs in WAL mode with {@code synchronous=FULL} (a commit is on disk before it returns)
 * and foreign keys on. Every write to it goes one way: through the node's {@link GroupCommit},
 * whose writer is a platform thread of its own with the only connection that may write; the pool
 * every reader borrows from is {@code query_only}, so that a write anywhere else fails at once in
 * any test. Why: SQLite waits for a lock inside its native code, where a virtual thread holds its
 * carrier; four requests waiting to write held both carriers of a two-core machine, and the request
 * holding the lock could not run to release it, so the whole broker, liveness included, froze for
 * the busy timeout (issue 18). Now only the writer waits for the lock (another process holding it,
 * say), and callers wait for the writer without holding a carrier.
 *
 * <p>PostgreSQL runs at READ COMMITTED with row locks where a feature needs them; its driver waits
 * in Java, so callers take connections from one pool. A probe ({@link StoreHealth}) keeps whether
 * it answers current: while it does not, callers are refused at once (503), and a caller never
 * waits longer than {@link Options#timeout} for a connection. Thread-safe.
 */
public final class Database implements AutoCloseable {
  /**
   * How callers wait for the store, and how an SQLite file is shared. {@code timeout}: for a
   * connection, and for a write to start (default 2 s). {@code lockTimeout}: on SQLite, how long
   * the writer waits for another process's lock on the file before the write fails (default 10 s);
   * callers wait for it as long. {@code sqliteExclusive}: on SQLite, whether the broker holds the
   * file alone, its WAL index in memory ({@link SqliteVfs}, default), or shares it with other
   * processes through the memory-mapped {@code -shm} file, which a full disk can turn into a fatal
   * SIGBUS on file systems with blocks smaller than 4 KiB (design 0014).
   */
  public record Options(Duration timeout, Duration lockTimeout, boolean sqliteExclusive) {
    public static final Options DEFAULTS =
        new Options(Duration.ofSeconds(2), Duration.ofSeconds(10), true);

    public Options {
      requireNonNull(timeout, "timeout");
      requireNonNull(lockTimeout, "lockTimeout");
      if (timeout.toMillis() < 250) {
        throw new IllegalArgumentException("the store timeout must be at least 250 ms");
      }
    }

    /** These timeouts, the file held alone. */
    public Options(Duration timeout, Duration lockTimeout) {
      this(timeout, lockTimeout, true);
    }
  }

  private final StoreUrl url;
  private final Options options;
  private final Pool pool;
  private final Pool writerPool;
  private final Jdbi jdbi;
  private final Jdbi writerJdbi;
  private final StoreHealth health;
  private final GroupCommit writes;

  private Database(StoreUrl url, Options options, Pool pool, Pool writerPool) {
    this.url = url;
    this.options = options;
    this.pool = pool;
    this.writerPool = writerPool;
    this.jdbi = Jdbi.create(pool);
    this.writerJdbi = writerPool == pool ? jdbi : Jdbi.create(writerPool);
    this.health = new StoreHealth(this, options.timeout(), pool::replace);
    this.writes = new GroupCommit(this);
  }

  /** Opens the store with the default timeouts and brings its schema up to date. */
  public static Database open(StoreUrl url) {
    return open(url, Options.DEFAULTS);
  }

  /** Opens the store and brings its schema up to date. */
  public static Database open(StoreUrl url, Options options) {
    requireNonNull(url, "url");
    requireNonNull(options, "options");
    boolean sqlite = url.dialect() == Dialect.SQLITE;
    if (sqlite) {
      url.sqlitePath().ifPresent(Database::createPrivateFile);
    }
    Pool writer = null;
    Pool readers = null;
    try {
      if (sqlite) {
        writer = new Pool(config(url, options, "secretsapi-store-writer", 1, false));
        migrate(url, writer);
        readers = new Pool(config(url, options, "secretsapi-store", 8, true));
      } else {
        readers = new Pool(config(url, options, "secretsapi-store", 16, false));
        migrate(url, readers);
        writer = readers;
      }
      Database db = new Database(url, options, readers, writer);
      db.health.start();
      return db;
    } catch (RuntimeException e) {
      if (readers != null) {
        readers.close();
      }
      if (writer != null) {
        writer.close();
      }
      if (e instanceof com.zaxxer.hikari.pool.HikariPool.PoolInitializationException) {
        throw new StoreUnavailableException(
            "cannot open store "
                + url.dialect().name().toLowerCase(Locale.ROOT)
                + ": "
                + rootMessage(e),
            e);
      }
      throw e;
    }
  }

  private static HikariConfig config(
      StoreUrl url, Options options, String name, int size, boolean queryOnly) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url.jdbcUrl());
    config.setPoolName(name);
    config.setMaximumPoolSize(size);
    config.setConnectionTimeout(options.timeout().toMillis());
    config.setValidationTimeout(Math.min(1_000, options.timeout().toMillis() - 1));
    url.user().ifPresent(config::setUsername);
    url.password().ifPresent(config::setPassword);
    if (url.dialect() == Dialect.SQLITE) {
      if (options.sqliteExclusive()) {
        config.setJdbcUrl(SqliteVfs.jdbcUrl(url)); // no memory-mapped WAL index: see SqliteVfs
      }
      config.addDataSourceProperty("journal_mode", "WAL");
      config.addDataSourceProperty("synchronous", "FULL");
      config.addDataSourceProperty("foreign_keys", "true");
      // Every insert would otherwise prepare and run "SELECT last_insert_rowid()" after itself; the
      // stores use RETURNING where they need a generated key.
      config.addDataSourceProperty("jdbc.get_generated_keys", "false");
      config.addDataSourceProperty("busy_timeout", Long.toString(options.lockTimeout().toMillis()));
      config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
      if (queryOnly) {
        config.setConnectionInitSql("PRAGMA query_only = 1");
      }
    } else {
      // A database that does not answer a new connection within the timeout is down, not slow.
      long seconds = Math.max(1, options.timeout().toSeconds());
      config.addDataSourceProperty("connectTimeout", Long.toString(seconds));
      config.addDataSourceProperty("loginTimeout", Long.toString(seconds));
    }
    return config;
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

  private static void migrate(StoreUrl url, Pool ds) {
    boolean pg = url.dialect() == Dialect.POSTGRES;
    Flyway.configure()
        .dataSource(ds)
        .locations("classpath:db/migration")
        .placeholders(
            Map.of(
                "blob",
                pg ? "BYTEA" : "BLOB",
                "audit_offset_by_default",
                pg
                    ? "ALTER TABLE audit_records ALTER COLUMN audit_offset SET GENERATED BY DEFAULT;"
                    : "",
                "revocation_xact",
                pg ? "(pg_current_xact_id()::text::bigint)" : "0",
                "revocation_db_time",
                pg
                    ? "ALTER TABLE revocations ALTER COLUMN db_written_ms SET DEFAULT"
                        + " (floor(extract(epoch FROM clock_timestamp()) * 1000))::bigint;"
                    : "",
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

  /** The Jdbi instance over the pool; on SQLite its connections only read. */
  public Jdbi jdbi() {
    return jdbi;
  }

  /** The Jdbi instance writes run on (on SQLite, the writer's; on PostgreSQL, {@link #jdbi}). */
  public Jdbi writerJdbi() {
    return writerJdbi;
  }

  /** The node's one write path: the group commit every write of this store goes through. */
  public GroupCommit writes() {
    return writes;
  }

  /** How long callers wait for the store. */
  public Options options() {
    return options;
  }

  /**
   * Runs {@code work} in one transaction: all of it commits, or none of it. On SQLite it runs on
   * the group commit's writer (one unit of a shared transaction, in a savepoint of its own); the
   * caller waits for the commit without holding a thread the others need.
   */
  public <R> R inTransaction(TransactionWork<R> work) {
    if (url.dialect() == Dialect.SQLITE) {
      return writes.submit(work::run);
    }
    refuseWhileDown();
    try {
      return jdbi.inTransaction(
          TransactionIsolationLevel.READ_COMMITTED,
          h -> {
            lockAuditHead(h);
            return work.run(h);
          });
    } catch (SecretsApiException e) {
      throw e;
    } catch (JdbiException e) {
      throw unavailable("store refused the transaction", e);
    }
  }

  /**
   * Takes the audit chain's head row first, in every write transaction on PostgreSQL: one lock
   * order for every writer of every node. Nearly every write appends to the chain, which locks the
   * head; a transaction that locked other rows first (a grant's use count) and then the head could
   * wait on one that held the head and then wanted those rows (a revocation of the grants of a
   * secret), and PostgreSQL breaks the deadlock by failing one of them (the containment benchmark
   * saw it). The writes of the nodes serialize on the head already, from their first append. The
   * wait is bounded by the store's lock timeout ({@code lockTimeout}, 10 s unless configured).
   */
  private void lockAuditHead(Handle h) {
    // bounded: a writer stuck with the head makes the others fail (503), not wait without end
    Jdbc.update(h, "SET LOCAL lock_timeout = " + options.lockTimeout().toMillis());
    Jdbc.first(h, "SELECT 1 FROM audit_head WHERE id = 1 FOR UPDATE", rs -> 1);
  }

  /**
   * Runs {@code work} in one write transaction, for the group commit's single writer. On SQLite the
   * transaction is begun, committed and rolled back with kept statements ({@link Jdbc}) on the
   * writer's connection, which the driver leaves in auto-commit: the driver's own transaction calls
   * prepare each of their statements anew and Jdbi sets and restores the isolation level around
   * them, which together cost more than a grant's writes. On PostgreSQL, a transaction on the pool.
   */
  <R> R inWriteTransaction(TransactionWork<R> work) {
    if (url.dialect() != Dialect.SQLITE) {
      return inTransaction(work); // PostgreSQL: a transaction on the pool
    }
    try {
      return writerJdbi.withHandle(
          h -> {
            Jdbc.update(h, "BEGIN IMMEDIATE");
            R result;
            try {
              result = work.run(h);
              Jdbc.update(h, "COMMIT");
            } catch (RuntimeException | Error e) {
              rollback(h, e);
              throw e;
            }
            return result;
          });
    } catch (SecretsApiException e) {
      throw e;
    } catch (JdbiException e) {
      throw unavailable("store refused the transaction", e);
    }
  }

  /**
   * Ends a failed {@link #inWriteTransaction}. SQLite may have rolled back already (a failed commit
   * does); if the rollback fails for another reason the connection leaves the pool, so that nobody
   * is handed a connection inside a transaction.
   */
  private void rollback(Handle h, Throwable failure) {
    try {
      Jdbc.update(h, "ROLLBACK");
    } catch (RuntimeException e) {
      if (!String.valueOf(rootMessage(e)).contains("no transaction is active")) {
        failure.addSuppressed(e);
        writerPool.evict(h.getConnection());
      }
    }
  }

  /** Runs a read outside any explicit transaction; on SQLite, on a connection that only reads. */
  public <R> R read(TransactionWork<R> work) {
    refuseWhileDown();
    try {
      return jdbi.withHandle(work::run);
    } catch (SecretsApiException e) {
      throw e;
    } catch (JdbiException e) {
      throw unavailable("store refused the read", e);
    }
  }

  /** Refuses at once while the probe finds the store down, instead of waiting for a connection. */
  private void refuseWhileDown() {
    if (!health.reachable()) {
      throw StoreUnavailableException.knownDown(
          "the store does not answer (" + health.cause() + "); nothing was changed");
    }
  }

  /** The store's failure, named by its first cause, which the log and the problem carry. */
  static StoreUnavailableException unavailable(String what, Throwable e) {
    return new StoreUnavailableException(what + ": " + rootMessage(e), e);
  }

  /**
   * A connection of its own, outside the pool, for a session that lives as long as the node (a
   * PostgreSQL {@code LISTEN}), named {@code applicationName} for the server's views. The caller
   * closes it.
   */
  public java.sql.Connection connectAlone(String applicationName) throws SQLException {
    return connectAlone(applicationName, options.timeout());
  }

  /**
   * A connection of its own, as {@link #connectAlone(String)}, that gives up connecting and logging
   * in after {@code timeout} (rounded up to whole seconds, the driver's unit), for a session that
   * must never hang (the leader's lease, the store's probe).
   */
  public java.sql.Connection connectAlone(String applicationName, Duration timeout)
      throws SQLException {
    java.util.Properties p = new java.util.Properties();
    p.setProperty("ApplicationName", applicationName); // what pg_stat_activity shows
    String seconds = String.valueOf(Math.max(1, (timeout.toMillis() + 999) / 1000));
    p.setProperty("connectTimeout", seconds);
    p.setProperty("loginTimeout", seconds);
    url.user().ifPresent(u -> p.setProperty("user", u));
    url.password().ifPresent(pw -> p.setProperty("password", pw));
    return java.sql.DriverManager.getConnection(url.jdbcUrl(), p);
  }

  /** True once {@link #close} has run. */
  public boolean isClosed() {
    return pool.isClosed();
  }

  /**
   * Whether the store answers: on PostgreSQL the probe's last answer, at most {@value
   * StoreHealth#PROBE_MILLIS} ms old (this never waits for the database); on SQLite, a file on this
   * node, true while open.
   */
  public boolean isReachable() {
    return !isClosed() && health.reachable();
  }

  /** The message of the innermost cause: the driver's own words, such as SQLite's error. */
  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    String m = t.getMessage();
    return m == null ? t.getClass().getSimpleName() : m;
  }

  @Override
  public void close() {
    health.close();
    try {
      writes.close();
    } finally {
      pool.close();
      if (writerPool != pool) {
        writerPool.close();
      }
    }
  }

  /** Work done with one handle. */
  @FunctionalInterface
  public interface TransactionWork<R> {
    R run(Handle handle);
  }
}
