package io.secretsapi.token;

import static java.util.Objects.requireNonNull;

import io.secretsapi.storage.Database;
import io.secretsapi.storage.Dialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes revocations between nodes sharing PostgreSQL: a connection of its own {@code LISTEN}s on
 * {@link RevocationService#CHANNEL}, on which every revoking transaction notifies as it commits,
 * and each notification catches the {@link RevocationIndex} up at once. So a token revoked on one
 * node is refused on the others, and its in-flight proxy calls cut, about one round trip after the
 * revocation commits rather than at the next second's catch-up, which stays as the safety net.
 *
 * <p>When the connection is lost the feed reconnects (backing off up to 5 s) and catches up before
 * it listens again, so nothing committed in between is missed. SQLite has one node: no feed.
 */
final class RevocationFeed implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RevocationFeed.class);
  private static final int WAIT_MILLIS = 500;

  private final Database db;
  private final RevocationIndex index;
  private final Thread thread;
  private volatile boolean closed;

  private RevocationFeed(Database db, RevocationIndex index) {
    this.db = requireNonNull(db, "db");
    this.index = requireNonNull(index, "index");
    this.thread = new Thread(this::run, "secretsapi-revocation-feed");
    thread.setDaemon(true);
  }

  /** A running feed on PostgreSQL; none on SQLite. */
  static Optional<RevocationFeed> start(Database db, RevocationIndex index) {
    if (db.dialect() != Dialect.POSTGRES) {
      return Optional.empty();
    }
    RevocationFeed feed = new RevocationFeed(db, index);
    feed.thread.start();
    return Optional.of(feed);
  }

  private void run() {
    long backoff = 100;
    while (!stopped()) {
      try (Connection c = db.connectAlone()) {
        try (Statement st = c.createStatement()) {
          st.execute("LISTEN " + RevocationService.CHANNEL);
        }
        index.catchUp(db); // what committed while nobody listened
        backoff = 100;
        PGConnection pg = c.unwrap(PGConnection.class);
        while (!stopped()) {
          PGNotification[] heard = pg.getNotifications(WAIT_MILLIS);
          if (heard != null && heard.length > 0) {
            index.catchUp(db);
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (stopped()) {
          return;
        }
        LOG.warn(
            "the revocation feed lost PostgreSQL ({}); reconnecting in {} ms, the one-second"
                + " catch-up goes on meanwhile",
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

  private boolean stopped() {
    return closed || db.isClosed();
  }

  /** Stops listening: the thread ends, and closes its connection, within half a second. */
  @Override
  public void close() {
    closed = true;
  }
}
