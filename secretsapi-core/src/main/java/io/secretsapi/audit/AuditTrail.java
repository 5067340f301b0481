package io.secretsapi.audit;

import static java.util.Objects.requireNonNull;

import io.secretsapi.Page;
import io.secretsapi.PageCursor;
import io.secretsapi.ValidationException;
import io.secretsapi.access.Caller;
import io.secretsapi.access.Scope;
import io.secretsapi.storage.Database;
import io.secretsapi.storage.Dialect;
import io.secretsapi.storage.Keyset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jdbi.v3.core.statement.Query;

/**
 * Reads the audit trail: filtered pages for people, and the whole chain in order for export.
 * Callers need {@code audit:read}; without {@code admin} they see the records about their own
 * principal and their account's secrets only.
 */
public final class AuditTrail {
  private static final String LISTING = "audit";
  private final Database db;

  public AuditTrail(Database db) {
    this.db = requireNonNull(db, "db");
  }

  /** One stored record: its offset, its canonical JSON, and its leaf hash. */
  public record Stored(long offset, String record, String leafHash) {}

  /**
   * Filters of {@link #read}; empty means any. Offsets are inclusive. {@code cursor}: the {@code
   * next_cursor} of the page before, under the same filters.
   */
  public record Filter(
      Optional<String> secretId,
      Optional<String> tokenId,
      Optional<String> principal,
      Optional<String> type,
      Optional<Long> from,
      Optional<Long> to,
      int limit,
      Optional<String> cursor) {

    /** Without a cursor. */
    public Filter(
        Optional<String> secretId,
        Optional<String> tokenId,
        Optional<String> principal,
        Optional<String> type,
        Optional<Long> from,
        Optional<Long> to,
        int limit) {
      this(secretId, tokenId, principal, type, from, to, limit, Optional.empty());
    }

    /** The same filters, from the page after {@code nextCursor}. */
    public Filter after(String nextCursor) {
      return new Filter(
          secretId, tokenId, principal, type, from, to, limit, Optional.of(nextCursor));
    }

    String fingerprint() {
      return String.join(
          "\u0000",
          secretId.orElse(""),
          tokenId.orElse(""),
          principal.orElse(""),
          type.orElse(""),
          to.map(String::valueOf).orElse(""));
    }
  }

  /** A page of records, oldest first. */
  public List<Stored> read(Caller caller, Filter f) {
    return page(caller, f).items();
  }

  /**
   * A page of records, oldest first, and the cursor of the next page: one read of the index of the
   * page's driving filter (secret, token, principal, type, or the offsets), at any depth (design
   * 0023). Without {@code admin}, the caller's visibility tests the rows that index yields.
   */
  public Page<Stored> page(Caller caller, Filter f) {
    caller.require(Scope.AUDIT_READ);
    if (f.limit() < 1 || f.limit() > 1000) {
      throw new ValidationException("limit", "range", "limit must be between 1 and 1000");
    }
    Optional<PageCursor> after =
        f.cursor().map(c -> PageCursor.decode(c, LISTING, f.fingerprint(), 1));
    String driver =
        f.secretId().isPresent()
            ? "secret_id"
            : f.tokenId().isPresent()
                ? "token_id"
                : f.principal().isPresent() ? "principal" : f.type().isPresent() ? "type" : "";
    Dialect dialect = db.dialect();
    List<String> all = new ArrayList<>(List.of("record IS NOT NULL"));
    List<List<String>> groups = new ArrayList<>();
    boolean admin = caller.has(Scope.ADMIN);
    if (!admin) {
      all.add(
          "(actor = :me OR subject = :me OR secret_id IN (SELECT id FROM secrets WHERE account_id = :acct))");
    }
    f.secretId()
        .ifPresent(
            x -> all.add(Keyset.eq("secret_id", "sid", driver.equals("secret_id"), dialect)));
    f.tokenId()
        .ifPresent(x -> all.add(Keyset.eq("token_id", "tid", driver.equals("token_id"), dialect)));
    if (f.principal().isPresent()) {
      boolean d = driver.equals("principal");
      groups.add(
          List.of(
              Keyset.eq("actor", "p", d, dialect),
              Keyset.eq("subject", "p", d, dialect) + " AND actor <> :p"));
    }
    f.type().ifPresent(x -> all.add(Keyset.eq("type", "type", driver.equals("type"), dialect)));
    // one lower bound on the offset, the tighter of `from` and the cursor's: given both, SQLite
    // took `from` as the index range and read every record between it and the cursor
    Optional<Long> lower =
        after.isPresent()
            ? Optional.of(Math.max(after.get().longKey(0) + 1, f.from().orElse(1L)))
            : f.from();
    lower.ifPresent(x -> all.add("audit_offset >= :from"));
    f.to().ifPresent(x -> all.add("audit_offset <= :to"));
    String sql =
        Keyset.sql(
            "SELECT audit_offset, record, leaf_hash FROM audit_records",
            all,
            groups,
            "audit_offset");
    List<Stored> rows =
        db.read(
            h -> {
              Query q =
                  Keyset.query(h, sql)
                      .bind("limit", f.limit() + 1)
                      .bind("reach", f.limit() + 1)
                      .bind("offset", 0);
              if (!admin) {
                q.bind("me", caller.principal()).bind("acct", caller.serviceAccountId());
              }
              f.secretId().ifPresent(x -> q.bind("sid", x));
              f.tokenId().ifPresent(x -> q.bind("tid", x));
              f.principal().ifPresent(x -> q.bind("p", x));
              f.type().ifPresent(x -> q.bind("type", x));
              lower.ifPresent(x -> q.bind("from", x));
              f.to().ifPresent(x -> q.bind("to", x));
              return q.map((rs, c) -> new Stored(rs.getLong(1), rs.getString(2), rs.getString(3)))
                  .list();
            });
    if (rows.size() <= f.limit()) {
      return new Page<>(rows, Optional.empty());
    }
    long last = rows.get(f.limit() - 1).offset();
    String next = PageCursor.after(LISTING, f.fingerprint(), last).encode();
    return new Page<>(rows.subList(0, f.limit()), Optional.of(next));
  }

  /**
   * Streams every record from {@code from} on, in order, as canonical JSON lines: the whole chain,
   * which only {@code admin} may export (a filtered run would not link).
   */
  public void export(Caller caller, long from, Consumer<Stored> sink) {
    export(caller, from, Long.MAX_VALUE, sink);
  }

  /** As {@link #export(Caller, long, Consumer)}, stopping after offset {@code to}. */
  public void export(Caller caller, long from, long to, Consumer<Stored> sink) {
    caller.require(Scope.ADMIN);
    long next = Math.max(1, from);
    while (true) {
      long start = next;
      List<Stored> page =
          db.read(
              h ->
                  h.createQuery(
                          "SELECT audit_offset, record, leaf_hash FROM audit_records"
                              + " WHERE audit_offset >= :from AND audit_offset <= :to"
                              + " AND record IS NOT NULL ORDER BY audit_offset LIMIT 1000")
                      .bind("from", start)
                      .bind("to", to)
                      .map((rs, c) -> new Stored(rs.getLong(1), rs.getString(2), rs.getString(3)))
                      .list());
      page.forEach(sink);
      if (page.size() < 1000) {
        return;
      }
      next = page.get(page.size() - 1).offset() + 1;
    }
  }
}
