package io.secretsapi.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A HikariCP pool that can be replaced by a fresh one while the broker runs.
 *
 * <p>Why: when the database goes away, Hikari's connection creator retries with a backoff that
 * doubles up to 5 s, and nothing can wake it; a database that returns waited for that sleep to end
 * before the first caller got a connection (about 5 s in the reliability review). The store's
 * health probe ({@link StoreHealth}) tells when the database leaves and returns, and at each change
 * the pool is replaced: leaving, the old pool's connections are aborted, so that no caller waits on
 * a socket to a database that is gone; returning, the new pool connects at once. The old pool is
 * closed on a thread of its own, so that nobody waits for it. Thread-safe.
 */
final class Pool implements DataSource, AutoCloseable {
  private final HikariConfig config;
  private volatile HikariDataSource current;

  /** Opens the first pool; its first connection is made now, so a bad URL fails here. */
  Pool(HikariConfig config) {
    this.config = config;
    this.current = new HikariDataSource(config);
  }

  /**
   * Replaces the pool by a new one and closes the old one on a thread of its own, aborting the
   * statements still running on it. With {@code connectNow}, the new pool has made its first
   * connection before it takes the old one's place (and when its one attempt fails, nothing is
   * replaced and this throws); without, it connects in the background.
   */
  void replace(boolean connectNow) {
    HikariConfig fresh = new HikariConfig();
    config.copyStateTo(fresh);
    // one attempt (Hikari sleeps a whole second before a second one): the probe tries again soon
    fresh.setInitializationFailTimeout(connectNow ? 1 : -1);
    HikariDataSource next = new HikariDataSource(fresh);
    HikariDataSource old;
    synchronized (this) {
      if (current.isClosed()) {
        next.close();
        return;
      }
      old = current;
      current = next;
    }
    Thread closer = new Thread(old::close, "secretsapi-store-pool-close");
    closer.setDaemon(true);
    closer.start();
  }

  /** Takes {@code connection} out of whichever pool lent it, so nobody is lent it again. */
  void evict(Connection connection) {
    current.evictConnection(connection);
  }

  boolean isClosed() {
    return current.isClosed();
  }

  @Override
  public Connection getConnection() throws SQLException {
    return current.getConnection();
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("the store's pool has one set of credentials");
  }

  @Override
  public synchronized void close() {
    current.close();
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return current.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    current.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    current.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return current.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    return current.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || current.isWrapperFor(iface);
  }
}
