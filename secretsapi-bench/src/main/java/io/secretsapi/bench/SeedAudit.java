package io.secretsapi.bench;

import io.secretsapi.audit.AuditEntry;
import io.secretsapi.audit.AuditLog;
import io.secretsapi.storage.Database;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Audit records for {@link ListingSeed}: grants, proxied calls and refusals about a sample of the
 * seeded tokens, appended to the hash chain from its head in batches (each record canonical, linked
 * to the one before, the head moved at the end of each batch), so that the trail verifies.
 */
final class SeedAudit {
  private static final String INSERT =
      "INSERT INTO audit_records (audit_offset, recorded_at, type, actor, subject, secret_id,"
          + " token_id, scope, policy_id, policy_version, policy_rule, decision, reason,"
          + " environment, request_id, record, prev_hash, leaf_hash)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, 'model-access', 'KEY-SCOPE-17', 1,"
          + " 'agents-model-access', ?, ?, 'production', NULL, ?, ?, ?)";

  private final Database db;
  private final List<SeedRows.Token> tokens;
  private final SplittableRandom random;

  SeedAudit(Database db, List<SeedRows.Token> tokens, SplittableRandom random) {
    this.db = db;
    this.tokens = tokens;
    this.random = random;
  }

  /** Appends records until the trail holds {@code total}. */
  void fill(int total) {
    Map.Entry<Long, String> head =
        db.read(
            h ->
                h.createQuery("SELECT last_offset, last_hash FROM audit_head WHERE id = 1")
                    .map((rs, c) -> Map.entry(rs.getLong(1), rs.getString(2)))
                    .one());
    long offset = head.getKey();
    String prev = head.getValue();
    long start = System.currentTimeMillis();
    while (offset < total) {
      int n = (int) Math.min(SeedRows.BATCH, total - offset);
      Object[][] rows = new Object[n][];
      for (int i = 0; i < n; i++) {
        offset++;
        rows[i] = row(offset, start + offset / 1_000, prev);
        prev = (String) rows[i][rows[i].length - 1];
      }
      long last = offset;
      String lastHash = prev;
      db.inTransaction(h -> insert(h, rows, last, lastHash));
      if (offset % 200_000 == 0) {
        System.out.printf("  %,d audit records%n", offset);
      }
    }
  }

  private Object[] row(long offset, long at, String prev) {
    SeedRows.Token t = tokens.get(random.nextInt(tokens.size()));
    int kind = random.nextInt(10);
    String type = kind < 6 ? "token.issue" : kind < 9 ? "proxy.call" : "token.refuse";
    String decision = kind < 9 ? "allow" : "deny";
    String actor = t.actor() == null ? t.subject() : t.actor();
    AuditEntry e =
        AuditEntry.of(type, actor, decision)
            .subject(t.subject())
            .secret(t.secret())
            .token(t.id())
            .scope("model-access")
            .policy(new AuditEntry.PolicyRef("KEY-SCOPE-17", 1, "agents-model-access"))
            .reason(decision.equals("allow") ? "allowed by rule agents-model-access" : "no rule")
            .environment("production")
            .build();
    String canonical = AuditLog.canonical(AuditLog.record(offset, at, e, prev));
    return new Object[] {
      offset,
      at,
      type,
      actor,
      t.subject(),
      t.secret(),
      t.id(),
      decision,
      e.reason(),
      canonical,
      prev,
      AuditLog.leafHash(canonical)
    };
  }

  private static Void insert(Handle h, Object[][] rows, long last, String lastHash) {
    PreparedBatch b = h.prepareBatch(INSERT);
    for (Object[] r : rows) {
      b.add(r);
    }
    b.execute();
    h.execute("UPDATE audit_head SET last_offset = ?, last_hash = ? WHERE id = 1", last, lastHash);
    return null;
  }
}
