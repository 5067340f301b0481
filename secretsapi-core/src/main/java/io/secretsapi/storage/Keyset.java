package io.secretsapi.storage;

import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.SqlStatements;

/**
 * The SQL of one keyset page (design 0023): rows after a cursor, in a fixed order, read as the
 * union of disjoint branches. A filter such as {@code subject = :p OR actor = :p} cannot be one
 * index range; written as two branches ({@code subject = :p}; {@code actor = :p AND subject <> :p})
 * each branch reads at most one page from its own index in order, and the union sorts no more than
 * a page per branch. Both dialects plan it that way.
 */
public final class Keyset {
  private Keyset() {}

  /**
   * The statement: {@code select} (a {@code SELECT ... FROM ...} without WHERE), the conditions
   * every row meets, the alternatives a row meets one of (each list a disjoint OR-group; their
   * product makes the branches) and the {@code order}. Parameters: {@code :reach}, how many rows
   * each branch reads ({@code limit + offset}), then {@code :limit} and {@code :offset} of the
   * whole; the offset is for callers of the listing's older offset parameter, which costs in
   * proportion to its depth, and is 0 otherwise.
   */
  public static String sql(
      String select, List<String> all, List<List<String>> groups, String order) {
    List<String> branches = new ArrayList<>(List.of(""));
    for (List<String> group : groups) {
      List<String> next = new ArrayList<>();
      for (String b : branches) {
        for (String alt : group) {
          next.add(b.isEmpty() ? alt : b + " AND " + alt);
        }
      }
      branches = next;
    }
    String common = String.join(" AND ", all);
    List<String> reads = new ArrayList<>();
    for (String b : branches) {
      String where = join(common, b);
      reads.add(select + (where.isEmpty() ? "" : " WHERE " + where) + " ORDER BY " + order);
    }
    if (reads.size() == 1) {
      return reads.get(0) + " LIMIT :limit OFFSET :offset";
    }
    List<String> wrapped = new ArrayList<>();
    for (int i = 0; i < reads.size(); i++) {
      wrapped.add("SELECT * FROM (" + reads.get(i) + " LIMIT :reach) b" + i);
    }
    return "SELECT * FROM ("
        + String.join(" UNION ALL ", wrapped)
        + ") u ORDER BY "
        + order
        + " LIMIT :limit OFFSET :offset";
  }

  /**
   * {@code column = :param}; on SQLite, unless {@code driving}, the same test written so that no
   * index serves it. SQLite plans without statistics (the broker never runs ANALYZE) and may guess
   * the wrong one of two equality filters: each page there is read by the index of its one driving
   * filter and the other filters test its rows. PostgreSQL keeps statistics, and needs the plain
   * test to check it inside an index that holds the column.
   */
  public static String eq(String column, String param, boolean driving, Dialect dialect) {
    return driving || dialect != Dialect.SQLITE
        ? column + " = :" + param
        : column + " || '' = :" + param;
  }

  /**
   * A query of {@link #sql}'s statement on {@code h}. A statement of one branch has no {@code
   * :reach}, which the caller binds anyway.
   */
  public static Query query(Handle h, String sql) {
    Query q = h.createQuery(sql);
    q.getConfig(SqlStatements.class).setUnusedBindingAllowed(true);
    return q;
  }

  private static String join(String a, String b) {
    if (a.isEmpty()) {
      return b;
    }
    return b.isEmpty() ? a : a + " AND " + b;
  }
}
