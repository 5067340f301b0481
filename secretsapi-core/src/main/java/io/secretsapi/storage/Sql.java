package io.secretsapi.storage;

import java.sql.SQLException;

/** Small facts about SQL errors that differ between the two dialects. */
public final class Sql {
  private Sql() {}

  /** True when {@code e} or one of its causes is a unique-constraint violation. */
  public static boolean isUniqueViolation(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        if ("23505".equals(s.getSQLState())) {
          return true;
        }
        String m = s.getMessage();
        if (m != null && m.contains("UNIQUE constraint failed")) {
          return true;
        }
      }
    }
    return false;
  }
}
