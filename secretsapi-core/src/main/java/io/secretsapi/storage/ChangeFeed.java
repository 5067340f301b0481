package io.secretsapi.storage;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each node's own session with PostgreSQL, outside the pool, for the change feed.
 *
 * <p>The change feed tells the nodes sharing PostgreSQL what another node changed, so that what
 * each holds in memory (revocations, API keys, scopes, secrets, policies, signing keys) follows
 * about one round trip after the commit instead of at its next periodic read or cache expiry, which
 * stay as the safety net.
 *
 * <p>How it works: a writing transaction calls {@link #announce} with a {@link Topic} and the key
 * of what it changed; PostgreSQL delivers the notification on {@link #CHANNEL} to every listening
 * connection when that transaction commits, and drops it when it rolls back. Each node listens on a
 * connection of its own, outside the pool, and hands each change to the handlers of its topic, on
 * the feed's thread. When that connection is lost the feed reconnects (backing off up to 5 s) and,
 * listening again, calls every handler with no key, meaning "anything may have changed", so nothing
 * committed in between is missed. A node hears its own announcements too; its handlers are
 * idempotent.
 *
 * <p>Which node leads is not decided here but by {@link Leadership}'s lease, on a session of its
 * own: a session-level lock on this one outlived a frozen node, whose kernel still answers
 * PostgreSQL's keepalives (design 0013).
 *
 * <p>SQLite serves one node: {@link #announce} does nothing and no session runs.
 */
public final class ChangeFeed implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);
  private static final int WAIT_MILLIS = 500;
  private static final int SESSION_TIMEOUT_MILLIS = 10_000;

  /** How the node's own session appears in {@code pg_stat_activity}. */
  public static final String APPLICATION_NAME = "secretsapi-change-feed";

  /** The PostgreSQL channel every node listens on. */
  public static final String CHANNEL = "secretsapi_changes";

  /** What changed; the key names which one (an id, or a secret id and a scope name). */
  public enum Topic {
    REVOCATIONS,
    API_KEYS,
    SCOPES,
    SECRETS,
    POLICIES,
    SIGNING_KEYS,
    KEK,
    INCIDENTS,
    APPROVALS;

    String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Database db;
  private final Map<Topic, List<Consumer<Optional<String>>>> handlers = new EnumMap<>(Topic.class);
  private final Thread thread;
  private final CountDownLatch listening = new CountDownLatch(1);
  private volatile boolean closed;

  public ChangeFeed(Database db) {
    this.db = requireNonNull(db, "db");
    for (Topic t : Topic.values()) {
      handlers.put(t, new CopyOnWriteArrayList<>());
    }
    this.thread = new Thread(this::run, "secretsapi-change-feed");
    thread.setDaemon(true);
  }

  /**
   * Announces, when {@code h}'s transaction commits, that {@code key} of {@code topic} changed. On
   * SQLite, nothing: no other node reads that store.
   */
  public static void announce(Handle h, Dialect dialect, Topic topic, String key) {
    if (dialect != Dialect.POSTGRES) {
      return;
    }
    h.createQuery("SELECT 1 FROM pg_notify(:ch, :p)")
        .bind("ch", CHANNEL)
        .bind("p", topic.wire() + ":" + key)
        .mapTo(Integer.class)
        .one();
  }

  /**
   * Runs {@code handler} for each change of {@code topic}: with its key, or with none when anything
   * may have changed. Handlers run on the feed's thread, in the order registered; one that throws
   * is logged and the others still run.
   */
  public void on(Topic topic, Consumer<Optional<String>> handler) {
    handlers.get(topic).add(requireNonNull(handler, "handler"));
  }

  /** Starts listening on PostgreSQL; on SQLite, nothing. */
  public void start() {
    if (db.dialect() == Dialect.POSTGRES) {
      thread.start();
    }
  }

  /**
   * Waits until the feed first listens, for at most {@code timeout}; true once it has (and at once
   * on SQLite, where there is nothing to listen to).
   */
  public boolean awaitListening(Duration timeout) throws InterruptedException {
    return db.dialect() != Dialect.POSTGRES
        || listening.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void run() {
    long backoff = 100;
    while (!stopped()) {
      try (Connection c = db.connectAlone(APPLICATION_NAME)) {
        c.setNetworkTimeout(Runnable::run, SESSION_TIMEOUT_MILLIS);
        try (Statement st = c.createStatement()) {
          // PostgreSQL drops this session ~25 s after it stops hearing from the node, instead of
          // after the operating system's two hours
          st.execute("SET tcp_keepalives_idle = 10");
          st.execute("SET tcp_keepalives_interval = 5");
          st.execute("SET tcp_keepalives_count = 3");
          st.execute("LISTEN " + CHANNEL);
        }
        for (Topic t : Topic.values()) {
          dispatch(t, Optional.empty()); // what committed while nobody listened
        }
        listening.countDown();
        backoff = 100;
        PGConnection pg = c.unwrap(PGConnection.class);
        while (!stopped()) {
          PGNotification[] heard = pg.getNotifications(WAIT_MILLIS);
          if (heard != null) {
            Set<String> distinct = new LinkedHashSet<>();
            for (PGNotification n : heard) {
              distinct.add(n.getParameter());
            }
            distinct.forEach(this::dispatch);
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (stopped()) {
          return;
        }
        LOG.warn(
            "the change feed lost PostgreSQL ({}); reconnecting in {} ms, the periodic reads go"
                + " on meanwhile",
            e.getMessage(),
            backoff);
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException stop) {
          return;
        }
        backoff = Math.min(backoff * 2, 5_000);
      }
    }
  }

  private void dispatch(String payload) {
    int colon = payload.indexOf(':');
    String wire = colon < 0 ? payload : payload.substring(0, colon);
    for (Topic t : Topic.values()) {
      if (t.wire().equals(wire)) {
        dispatch(t, colon < 0 ? Optional.empty() : Optional.of(payload.substring(colon + 1)));
        return;
      }
    }
    LOG.debug("ignoring a change of unknown topic {} (a newer node?)", wire);
  }

  private void dispatch(Topic topic, Optional<String> key) {
    for (Consumer<Optional<String>> h : handlers.get(topic)) {
      if (stopped()) {
        return; // the node is stopping: its store may already be closed under the handlers
      }
      try {
        h.accept(key);
      } catch (RuntimeException e) {
        if (stopped()) {
          return;
        }
        LOG.warn(
            "applying a change of {} failed ({}); the periodic read will catch up",
            topic.wire(),
            e.toString());
      }
    }
  }

  private boolean stopped() {
    return closed || db.isClosed();
  }

  /** Stops listening: the thread ends, and closes its connection, within half a second. */
  @Override
  public void close() {
    closed = true;
  }
}
