package io.secretsapi.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the store answers, kept current in the background.
 *
 * <p>A thread of its own asks PostgreSQL {@code SELECT 1} every {@value #PROBE_MILLIS} ms (half
 * that while it is down) on a connection of its own, outside the pool, each question bounded by the
 * store's timeout. Readiness reads the answer instead of asking, so that it answers at once
 * whatever the database does; while the store is down, callers are refused at once ({@link
 * Database#read} and the writes) instead of each waiting for a connection that will not come; and
 * at each change the pool is replaced ({@link Pool}), so that no caller waits on a socket to a
 * database that left and the first caller after its return is served at once. SQLite is a file on
 * the node: it is never probed and is always reachable here (a full disk is the writes' failure,
 * not the reads'). Thread-safe.
 */
final class StoreHealth implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StoreHealth.class);
  static final int PROBE_MILLIS = 200;

  /** How the probe's session appears in {@code pg_stat_activity}. */
  static final String APPLICATION_NAME = "secretsapi-store-probe";

  private final Database db;
  private final Duration timeout;
  private final java.util.function.Consumer<Boolean> onChange;
  private final Thread thread;
  private volatile boolean reachable = true;
  private volatile String cause = "";
  private volatile boolean closed;

  /**
   * @param onChange replaces the pool when the store leaves ({@code false}) or returns ({@code
   *     true}; it throws when the new pool cannot connect, and the store stays down)
   */
  StoreHealth(Database db, Duration timeout, java.util.function.Consumer<Boolean> onChange) {
    this.db = db;
    this.timeout = timeout;
    this.onChange = onChange;
    this.thread = new Thread(this::run, "secretsapi-store-probe");
    thread.setDaemon(true);
  }

  void start() {
    if (db.dialect() == Dialect.POSTGRES) {
      thread.start();
    }
  }

  /** True unless the last probe failed. */
  boolean reachable() {
    return reachable;
  }

  /** Why the last probe failed, when it did. */
  String cause() {
    return cause;
  }

  private void run() {
    Connection c = null;
    while (!closed) {
      long started = System.nanoTime();
      try {
        c = probe(c);
        changed(true, "");
      } catch (SQLException | RuntimeException e) {
        c = null;
        changed(false, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
      }
      long period = reachable ? PROBE_MILLIS : PROBE_MILLIS / 2;
      long left = TimeUnit.MILLISECONDS.toNanos(period) - (System.nanoTime() - started);
      if (left > 0) {
        try {
          TimeUnit.NANOSECONDS.sleep(left);
        } catch (InterruptedException e) {
          break;
        }
      }
    }
    close(c);
  }

  /**
   * Asks {@code SELECT 1} on {@code c}, or on a new session when there is none; a session that
   * fails is replaced once at once (one ended by an operator is no outage), and only a new session
   * failing too counts as the store being down. Answers the session to ask next time.
   */
  private Connection probe(Connection c) throws SQLException {
    if (c != null) {
      try {
        ask(c);
        return c;
      } catch (SQLException | RuntimeException e) {
        close(c);
      }
    }
    Connection fresh = connect();
    try {
      ask(fresh);
      return fresh;
    } catch (SQLException | RuntimeException e) {
      close(fresh);
      throw e;
    }
  }

  private static void ask(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("SELECT 1");
    }
  }

  private Connection connect() throws SQLException {
    Connection c = db.connectAlone(APPLICATION_NAME, timeout);
    c.setNetworkTimeout(Runnable::run, (int) timeout.toMillis());
    return c;
  }

  /**
   * Publishes a change of state and replaces the pool: going down, callers are refused first and
   * the old pool's statements aborted after; coming back, the new pool is in place before any
   * caller is let through, so that none waits on the pool that backed off during the outage.
   */
  private void changed(boolean now, String why) {
    if (now == reachable) {
      return;
    }
    if (!now) {
      cause = why;
      reachable = false;
      LOG.warn("the store does not answer ({}); callers get 503 until it does", why);
      try {
        onChange.accept(false);
      } catch (RuntimeException e) {
        LOG.warn("replacing the store's pool failed: {}", e.toString());
      }
      return;
    }
    try {
      onChange.accept(true);
    } catch (RuntimeException e) {
      LOG.debug("the store answers the probe but not yet the pool: {}", e.toString());
      return; // still down: the next probe tries again
    }
    cause = "";
    reachable = true;
    LOG.info("the store answers again");
  }

  private static void close(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException | RuntimeException ignored) {
        // the session is gone already
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}
