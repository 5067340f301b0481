package io.secretsapi.secret;

import io.secretsapi.PageCursor;
import io.secretsapi.storage.Dialect;
import io.secretsapi.storage.Keyset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * The vault listing, a keyset page at a time (design 0023), with a bounded count. Sorts: by last
 * access (most recent first, never accessed last as -1, then name and id), by name, or newest
 * first. Each page is read by the index of one driving filter, in this order: name, owner,
 * provider, environment, resource class, the caller's account, none (the sort's own index); the
 * other filters test the rows it yields. Each filter's index is in last-access order, the default;
 * under another sort the filter's matching rows are sorted, which costs in proportion to them.
 */
final class SecretListing {
  static final String NAME = "secrets";
  private static final String ACCESS = "COALESCE(s.last_accessed_at, -1)";

  private SecretListing() {}

  static SecretPage page(Handle h, Optional<String> account, SecretFilter f, Dialect dialect) {
    Optional<PageCursor> after =
        f.cursor().map(c -> PageCursor.decode(c, NAME, f.fingerprint(), keyCount(f.sort())));
    Query page = h.createQuery(pageSql(account, f, after.isPresent(), dialect));
    int offset = after.isPresent() ? 0 : f.offset();
    page.bind("limit", f.limit() + 1).bind("offset", offset);
    after.ifPresent(c -> bindCursor(page, f.sort(), c));
    Query count = h.createQuery(countSql(account, f, dialect));
    count.bind("cap", SecretPage.COUNT_CAP + 1);
    for (Query q : List.of(count, page)) {
      bindFilters(q, account, f);
    }
    long total = count.mapTo(Long.class).one();
    List<Secret> rows = page.map((rs, ctx) -> SecretStore.secret(rs)).list();
    boolean exact = total <= SecretPage.COUNT_CAP;
    total = Math.min(total, SecretPage.COUNT_CAP);
    if (rows.size() <= f.limit()) {
      return new SecretPage(rows, total, f.limit(), offset, Optional.empty(), exact);
    }
    rows = rows.subList(0, f.limit());
    String next = cursorAfter(f, rows.get(rows.size() - 1)).encode();
    return new SecretPage(rows, total, f.limit(), offset, Optional.of(next), exact);
  }

  /** The statement of a page: parameters the filters', {@code :k0..:k2}, limit and offset. */
  static String pageSql(
      Optional<String> account, SecretFilter f, boolean afterCursor, Dialect dialect) {
    return "SELECT "
        + SecretStore.SECRET_COLUMNS
        + SecretStore.SECRET_FROM
        + where(account, f, dialect)
        + (afterCursor ? " AND " + keyset(f.sort()) : "")
        + " ORDER BY "
        + (f.name().isPresent()
            ? order(f.sort()).replace(ACCESS, ACCESS + " + 0")
            : order(f.sort()))
        + " LIMIT :limit OFFSET :offset";
  }

  /** The bounded count: parameters the filters' and {@code :cap}. */
  static String countSql(Optional<String> account, SecretFilter f, Dialect dialect) {
    return "SELECT COUNT(*) FROM (SELECT 1 FROM secrets s"
        + where(account, f, dialect)
        + " LIMIT :cap) c";
  }

  private static String driver(SecretFilter f) {
    return f.name().isPresent()
        ? "name"
        : f.owner().isPresent()
            ? "owner"
            : f.provider().isPresent()
                ? "provider"
                : f.environment().isPresent()
                    ? "environment"
                    : f.resourceClass().isPresent() ? "resource_class" : "account";
  }

  private static String where(Optional<String> account, SecretFilter f, Dialect dialect) {
    String driver = driver(f);
    if (driver.equals("environment") && f.resourceClass().isPresent()) {
      driver = "resource_class environment"; // secrets_class_env_access holds both
    }
    String driverIs = driver;
    List<String> all = new ArrayList<>(List.of("s.status = :status"));
    account.ifPresent(
        a -> all.add(Keyset.eq("s.account_id", "account", driverIs.equals("account"), dialect)));
    f.resourceClass().ifPresent(x -> all.add(eq("resource_class", "rc", driverIs, dialect)));
    f.environment().ifPresent(x -> all.add(eq("environment", "env", driverIs, dialect)));
    f.provider().ifPresent(x -> all.add(eq("provider", "provider", driverIs, dialect)));
    f.owner().ifPresent(x -> all.add(eq("owner", "owner", driverIs, dialect)));
    f.name().ifPresent(x -> all.add(eq("name", "name", driverIs, dialect)));
    return " WHERE " + String.join(" AND ", all);
  }

  private static String eq(String column, String param, String driver, Dialect dialect) {
    return Keyset.eq("s." + column, param, driver.contains(column), dialect);
  }

  private static void bindFilters(Query q, Optional<String> account, SecretFilter f) {
    q.bind("status", f.status());
    account.ifPresent(a -> q.bind("account", a));
    f.resourceClass().ifPresent(x -> q.bind("rc", x));
    f.environment().ifPresent(x -> q.bind("env", x));
    f.provider().ifPresent(x -> q.bind("provider", x));
    f.owner().ifPresent(x -> q.bind("owner", x));
    f.name().ifPresent(x -> q.bind("name", x));
  }

  private static String order(String sort) {
    return switch (sort) {
      case "name" -> "s.name, s.id";
      case "created" -> "s.created_at DESC, s.id";
      default -> ACCESS + " DESC, s.name, s.id";
    };
  }

  private static int keyCount(String sort) {
    return sort.equals("last_access") ? 3 : 2;
  }

  /** Rows after the cursor's row in the sort's order; the first term is the index range. */
  private static String keyset(String sort) {
    return switch (sort) {
      case "name" -> "s.name >= :k0 AND (s.name > :k0 OR s.id > :k1)";
      case "created" -> "s.created_at <= :k0 AND (s.created_at < :k0 OR s.id > :k1)";
      default ->
          ACCESS
              + " <= :k0 AND ("
              + ACCESS
              + " < :k0 OR s.name > :k1 OR (s.name = :k1 AND s.id > :k2))";
    };
  }

  private static void bindCursor(Query q, String sort, PageCursor c) {
    switch (sort) {
      case "name" -> q.bind("k0", c.key(0)).bind("k1", c.key(1));
      case "created" -> q.bind("k0", c.longKey(0)).bind("k1", c.key(1));
      default -> q.bind("k0", c.longKey(0)).bind("k1", c.key(1)).bind("k2", c.key(2));
    }
  }

  private static PageCursor cursorAfter(SecretFilter f, Secret s) {
    String fp = f.fingerprint();
    return switch (f.sort()) {
      case "name" -> PageCursor.after(NAME, fp, s.name(), s.id());
      case "created" -> PageCursor.after(NAME, fp, s.createdAt().toEpochMilli(), s.id());
      default ->
          PageCursor.after(
              NAME,
              fp,
              s.lastAccessedAt().map(java.time.Instant::toEpochMilli).orElse(-1L),
              s.name(),
              s.id());
    };
  }
}
