package io.secretsapi.audit;

import static java.util.Objects.requireNonNull;

import io.secretsapi.ValidationException;
import io.secretsapi.access.Caller;
import io.secretsapi.access.Scope;
import io.secretsapi.storage.Database;
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
  private final Database db;

  public AuditTrail(Database db) {
    this.db = requireNonNull(db, "db");
  }

  /** One stored record: its offset, its canonical JSON, and its leaf hash. */
  public record Stored(long offset, String record, String leafHash) {}

  /** Filters of {@link #read}; empty means any. Offsets are inclusive. */
  public record Filter(
      Optional<String> secretId,
      Optional<String> tokenId,
      Optional<String> principal,
      Optional<String> type,
      Optional<Long> from,
      Optional<Long> to,
      int limit) {}

  /** A page of records, oldest first. */
  public List<Stored> read(Caller caller, Filter f) {
    caller.require(Scope.AUDIT_READ);
    if (f.limit() < 1 || f.limit() > 1000) {
      throw new ValidationException("limit", "range", "limit must be between 1 and 1000");
    }
    StringBuilder where = new StringBuilder(" WHERE record IS NOT NULL");
    boolean admin = caller.has(Scope.ADMIN);
    if (!admin) {
      where.append(
          " AND (actor = :me OR subject = :me OR secret_id IN (SELECT id FROM secrets WHERE account_id = :acct))");
    }
    f.secretId().ifPresent(x -> where.append(" AND secret_id = :sid"));
    f.tokenId().ifPresent(x -> where.append(" AND token_id = :tid"));
    f.principal().ifPresent(x -> where.append(" AND (actor = :p OR subject = :p)"));
    f.type().ifPresent(x -> where.append(" AND type = :type"));
    f.from().ifPresent(x -> where.append(" AND audit_offset >= :from"));
    f.to().ifPresent(x -> where.append(" AND audit_offset <= :to"));
    return db.read(
        h -> {
          Query q =
              h.createQuery(
                      "SELECT audit_offset, record, leaf_hash FROM audit_records"
                          + where
                          + " ORDER BY audit_offset LIMIT :limit")
                  .bind("limit", f.limit());
          if (!admin) {
            q.bind("me", caller.principal()).bind("acct", caller.serviceAccountId());
          }
          f.secretId().ifPresent(x -> q.bind("sid", x));
          f.tokenId().ifPresent(x -> q.bind("tid", x));
          f.principal().ifPresent(x -> q.bind("p", x));
          f.type().ifPresent(x -> q.bind("type", x));
          f.from().ifPresent(x -> q.bind("from", x));
          f.to().ifPresent(x -> q.bind("to", x));
          return q.map((rs, c) -> new Stored(rs.getLong(1), rs.getString(2), rs.getString(3)))
              .list();
        });
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
