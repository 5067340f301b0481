package io.secretsapi.storage;

import static java.util.Objects.requireNonNull;

import io.secretsapi.Ids;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which node leads the jobs one node does for all (audit checkpoints, scheduled validations,
 * webhook deliveries): a lease in the store that the leader must renew, and the fence every
 * leader-only write passes. Thread-safe.
 *
 * <p>Leading is for economy (one node does the work for all) and for safety: a checkpoint is a
 * statement signed with the audit key, and a cursor or a claim moves state every node shares. So at
 * most one node leads at a time, and a node that has stopped leading writes nothing as leader,
 * however late it wakes. The jobs stay idempotent all the same.
 *
 * <p>How it works (design 0013). One row of {@code leader_lease} names the holder, its term ({@code
 * epoch}, counted up by each node that takes the lease: the fencing token) and when the lease
 * expires, by the database's clock, so the nodes' clocks do not matter. A node takes the lease only
 * once it has expired; the holder renews it every third of the lease. Both run on a thread and a
 * connection of their own, with statement and network timeouts of a third of the lease, so that a
 * renewal never hangs on a busy pool or on the change feed's session.
 *
 * <p>The holder believes it leads ({@link #leads()}) only until the start of its last successful
 * renewal plus the lease minus a fifth of it, by its own monotonic clock. The database counts the
 * lease from when the renewal ran, later, so a node that cannot renew (frozen, cut off, slow) stops
 * leading before another node may start, and a node frozen by SIGSTOP finds on waking that its time
 * has passed before it does anything.
 *
 * <p>That belief is the first line; {@link #fence} is the guarantee. Each leader-only write calls
 * it in its own transaction: it locks the lease row FOR SHARE and refuses unless the row still
 * names this node's term, unexpired. So a leader that wakes up late (stopped between its check and
 * its write, or on a paused virtual machine whose monotonic clock stood still too) cannot write as
 * leader, and the next term cannot begin until a fenced write has committed or rolled back. The
 * fenced transaction sets {@code idle_in_transaction_session_timeout} to a fifth of the lease, the
 * margin between the holder's belief and the database's expiry: a leader frozen inside one is
 * disconnected by PostgreSQL, its write rolled back and the lock freed, by the time the lease
 * expires.
 *
 * <p>On SQLite one node uses the store: it leads, without a lease, and the fence passes (term 0).
 */
public final class Leadership implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

  /** The lease unless configuration says otherwise ({@code cluster.leader_lease}). */
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(10);

  /** How the renewing session appears in {@code pg_stat_activity}. */
  public static final String APPLICATION_NAME = "secretsapi-leader-lease";

  private static final String NOW = "(extract(epoch FROM clock_timestamp()) * 1000)::bigint";
  private static final String NAME = "leader";

  private final Database db;
  private final Duration lease;
  private final long thirdMillis;
  private final long marginMillis;
  private final long believedNanos;
  private final String node;
  private final Thread thread;
  private volatile Term term;
  private volatile boolean closed;

  /** A term this node holds, believed until {@code untilNanos} ({@link System#nanoTime}). */
  private record Term(long epoch, long untilNanos) {
    boolean current() {
      return untilNanos - System.nanoTime() > 0;
    }
  }

  /**
   * @param lease how long a lease lasts unrenewed: the longest the other nodes wait for a leader
   *     that stopped answering (at least one second)
   */
  public Leadership(Database db, Duration lease) {
    this.db = requireNonNull(db, "db");
    this.lease = requireNonNull(lease, "lease");
    if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("the leader lease must be at least 1s, not " + lease);
    }
    this.thirdMillis = lease.toMillis() / 3;
    this.marginMillis = lease.toMillis() / 5;
    this.believedNanos = lease.toNanos() - TimeUnit.MILLISECONDS.toNanos(marginMillis);
    this.node =
        Ids.random("node_", 8)
            + "@"
            + System.getenv().getOrDefault("HOSTNAME", "host")
            + ":"
            + ProcessHandle.current().pid();
    this.thread = new Thread(this::run, "secretsapi-leader-lease");
    thread.setDaemon(true);
  }

  /** Starts taking and renewing the lease on PostgreSQL; on SQLite, nothing. */
  public void start() {
    if (db.dialect() == Dialect.POSTGRES) {
      thread.start();
    }
  }

  /**
   * True while this node leads: it holds the lease and renewed it recently enough that no other
   * node can have taken it. On SQLite, always (one node). A job checks it before it starts; its
   * writes pass {@link #fence} all the same.
   */
  public boolean leads() {
    if (db.dialect() != Dialect.POSTGRES) {
      return true;
    }
    Term t = term;
    return t != null && t.current();
  }

  /** This node's term (the lease's epoch) while it {@link #leads()}. */
  public OptionalLong term() {
    if (db.dialect() != Dialect.POSTGRES) {
      return OptionalLong.of(0);
    }
    Term t = term;
    return t != null && t.current() ? OptionalLong.of(t.epoch()) : OptionalLong.empty();
  }

  /** How this node names itself in the lease row. */
  public String node() {
    return node;
  }

  /** How long a lease lasts unrenewed. */
  public Duration lease() {
    return lease;
  }

  /**
   * The fence of a leader-only write: call it inside the write's transaction, before the write. It
   * answers this node's term when the lease row still names that term, unexpired by the database's
   * clock, and holds the row so that no other term begins before {@code h}'s transaction ends.
   *
   * @throws NotLeaderException when this node does not lead: {@code h}'s transaction must roll back
   */
  public long fence(Handle h) {
    if (db.dialect() != Dialect.POSTGRES) {
      return 0;
    }
    Term t = term;
    if (t == null || !t.current()) {
      throw new NotLeaderException("this node does not lead; the leader-only write was not made");
    }
    // a write fenced while this node believed it leads holds the row no longer than the margin
    h.execute("SET LOCAL idle_in_transaction_session_timeout = " + marginMillis);
    h.execute("SET LOCAL statement_timeout = " + marginMillis);
    boolean held =
        h.createQuery(
                "SELECT 1 FROM leader_lease WHERE name = :name AND holder = :node"
                    + " AND epoch = :epoch AND expires_at > "
                    + NOW
                    + " FOR SHARE")
            .bind("name", NAME)
            .bind("node", node)
            .bind("epoch", t.epoch())
            .mapTo(Integer.class)
            .findOne()
            .isPresent();
    if (!held) {
      throw new NotLeaderException(
          "this node's term "
              + t.epoch()
              + " as leader has ended (its lease expired or another node took it); the"
              + " leader-only write was not made");
    }
    return t.epoch();
  }

  private void run() {
    Connection c = null;
    boolean failing = false;
    try {
      while (!stopped()) {
        long started = System.nanoTime();
        long wait;
        try {
          if (c == null) {
            c = connect();
          }
          wait = step(c, started);
          failing = false;
        } catch (SQLException | RuntimeException e) {
          if (stopped()) {
            return;
          }
          if (!failing) {
            LOG.warn(
                "cannot reach PostgreSQL for the leader lease ({}); retrying every {} ms",
                e.getMessage(),
                Math.min(500, thirdMillis));
          }
          failing = true;
          closeQuietly(c);
          c = null;
          wait = Math.min(500, thirdMillis);
        }
        Thread.sleep(Math.max(10, wait - (System.nanoTime() - started) / 1_000_000));
      }
    } catch (InterruptedException stop) {
      // closing
    } finally {
      release(c);
      closeQuietly(c);
    }
  }

  /** One renewal or attempt to take the lease; answers how long to wait before the next. */
  private long step(Connection c, long started) throws SQLException {
    Term t = term;
    if (t != null) {
      if (renew(c, t.epoch())) {
        term = new Term(t.epoch(), started + believedNanos);
        return thirdMillis;
      }
      term = null;
      LOG.warn(
          "this node is no longer the leader: its lease (term {}) expired or another node took it",
          t.epoch());
    }
    OptionalLong taken = acquire(c);
    if (taken.isPresent()) {
      term = new Term(taken.getAsLong(), started + believedNanos);
      LOG.info("this node is now the leader (term {}, lease {})", taken.getAsLong(), lease);
      return thirdMillis;
    }
    // try again as the holder's lease runs out, and at least every third of ours
    return Math.min(thirdMillis, remainingMillis(c) + 10);
  }

  private boolean renew(Connection c, long epoch) throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            "UPDATE leader_lease SET expires_at = "
                + NOW
                + " + ? WHERE name = ? AND holder = ? AND epoch = ? AND expires_at > "
                + NOW)) {
      st.setLong(1, lease.toMillis());
      st.setString(2, NAME);
      st.setString(3, node);
      st.setLong(4, epoch);
      return st.executeUpdate() == 1;
    }
  }

  private OptionalLong acquire(Connection c) throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            "UPDATE leader_lease SET holder = ?, epoch = epoch + 1, expires_at = "
                + NOW
                + " + ? WHERE name = ? AND expires_at <= "
                + NOW
                + " RETURNING epoch")) {
      st.setString(1, node);
      st.setLong(2, lease.toMillis());
      st.setString(3, NAME);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
      }
    }
  }

  private long remainingMillis(Connection c) throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement("SELECT expires_at - " + NOW + " FROM leader_lease WHERE name = ?")) {
      st.setString(1, NAME);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? Math.max(0, rs.getLong(1)) : thirdMillis;
      }
    }
  }

  /** Ends this node's term at once, so that another node need not wait out the lease. */
  private void release(Connection c) {
    Term t = term;
    term = null;
    if (t == null || c == null) {
      return;
    }
    try (PreparedStatement st =
        c.prepareStatement(
            "UPDATE leader_lease SET expires_at = "
                + NOW
                + " WHERE name = ? AND holder = ? AND epoch = ?")) {
      st.setString(1, NAME);
      st.setString(2, node);
      st.setLong(3, t.epoch());
      st.executeUpdate();
      LOG.info("this node gave up the leader's lease (term {})", t.epoch());
    } catch (SQLException | RuntimeException e) {
      LOG.warn("could not give up the leader's lease; it expires in {}: {}", lease, e.getMessage());
    }
  }

  private Connection connect() throws SQLException {
    Connection c = db.connectAlone(APPLICATION_NAME, Duration.ofMillis(thirdMillis));
    try {
      c.setNetworkTimeout(Runnable::run, (int) thirdMillis);
      try (Statement st = c.createStatement()) {
        st.execute("SET statement_timeout = " + thirdMillis);
      }
      return c;
    } catch (SQLException | RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        // going anyway
      }
    }
  }

  private boolean stopped() {
    return closed || db.isClosed();
  }

  /**
   * Stops leading: gives the lease up, so that another node takes over at its next attempt, and
   * waits for that (at most a third of the lease, the renewing session's timeout).
   */
  @Override
  public void close() {
    closed = true;
    if (thread.isAlive()) {
      thread.interrupt();
      try {
        thread.join(thirdMillis + 1_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    term = null;
  }
}
