package io.secretsapi.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Plain JDBC on a Jdbi handle's connection, for the few statements the group commit's single writer
 * runs for every grant (the audit chain's head and record, the token row, a use taken). There,
 * Jdbi's named binding, argument-factory look-ups and statement context cost more than SQLite's own
 * insert (docs/benchmarks.md); everywhere else Jdbi stays. Parameters are positional: {@code null},
 * {@link String}, {@link Long}, {@link Integer}, {@code byte[]}. Failures are Jdbi's own exception
 * type, so callers and the group commit treat them as they treat Jdbi's.
 *
 * <p>Each statement is prepared once per physical connection and kept: SQLite has no statement
 * cache of its own, and parsing the audit record's insert cost about as much as running it. The
 * pooled connection is unwrapped so that the pool does not close the kept statements when the
 * connection goes back; they go with the physical connection when the pool retires it.
 */
public final class Jdbc {
  private Jdbc() {}

  /** Kept statements by physical connection; a connection is used by one thread at a time. */
  private static final Map<Connection, Map<String, PreparedStatement>> PREPARED =
      new java.util.IdentityHashMap<>();

  /** Reads one row of a result set. */
  @FunctionalInterface
  public interface Row<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /** Runs an insert, update or delete and answers the rows it changed. */
  public static int update(Handle h, String sql, Object... args) {
    PreparedStatement s = null;
    try {
      s = prepared(h, sql);
      bind(s, args);
      return s.executeUpdate();
    } catch (SQLException e) {
      throw failed(h, sql, s, e);
    }
  }

  /** Runs a query and answers its first row, if there is one. */
  public static <T> Optional<T> first(Handle h, String sql, Row<T> row, Object... args) {
    PreparedStatement s = null;
    try {
      s = prepared(h, sql);
      bind(s, args);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(row.read(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw failed(h, sql, s, e);
    }
  }

  private static PreparedStatement prepared(Handle h, String sql) throws SQLException {
    Connection c = h.getConnection().unwrap(Connection.class);
    Map<String, PreparedStatement> kept;
    synchronized (PREPARED) {
      kept = PREPARED.get(c);
      if (kept == null) {
        // A connection the pool retired is closed: its statements went with it.
        PREPARED.keySet().removeIf(Jdbc::isClosed);
        kept = new HashMap<>();
        PREPARED.put(c, kept);
      }
    }
    PreparedStatement s = kept.get(sql);
    if (s == null || s.isClosed()) {
      s = c.prepareStatement(sql);
      kept.put(sql, s);
    }
    return s;
  }

  private static boolean isClosed(Connection c) {
    try {
      return c.isClosed();
    } catch (SQLException e) {
      return true;
    }
  }

  private static void bind(PreparedStatement s, Object[] args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      int p = i + 1;
      if (a == null) {
        s.setNull(p, Types.OTHER);
      } else if (a instanceof String v) {
        s.setString(p, v);
      } else if (a instanceof Long v) {
        s.setLong(p, v);
      } else if (a instanceof Integer v) {
        s.setInt(p, v);
      } else if (a instanceof byte[] v) {
        s.setBytes(p, v);
      } else {
        throw new IllegalArgumentException("cannot bind a " + a.getClass().getSimpleName());
      }
    }
  }

  /**
   * The failure of {@code sql}, after its kept statement is dropped. sqlite-jdbc finalizes a
   * statement whose step fails with anything but busy, locked, misuse or a constraint (a full disk,
   * an I/O error, "no transaction is active") yet does not mark it closed: kept, every later use of
   * it would fail with "statement is not executing", hiding the cause and outliving it. The next
   * use prepares it anew.
   */
  private static org.jdbi.v3.core.statement.UnableToExecuteStatementException failed(
      Handle h, String sql, PreparedStatement s, SQLException e) {
    if (s != null) {
      try {
        Connection c = h.getConnection().unwrap(Connection.class);
        synchronized (PREPARED) {
          Map<String, PreparedStatement> kept = PREPARED.get(c);
          if (kept != null) {
            kept.remove(sql, s);
          }
        }
        s.close();
      } catch (SQLException closing) {
        e.addSuppressed(closing);
      }
    }
    return new org.jdbi.v3.core.statement.UnableToExecuteStatementException(
        "statement failed: " + sql, e, null);
  }
}
