package io.secretsapi.bench;

import io.secretsapi.Ids;
import io.secretsapi.storage.Database;
import java.util.List;
import java.util.SplittableRandom;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Tokens, their revocations, last accesses and audit records for {@link ListingSeed}, written in
 * batches of {@value #BATCH} rows, each batch one transaction through the store's write path. The
 * data has the shape a month of use gives: tokens issued over 30 days with TTLs of 15 minutes to an
 * hour (so most have expired), one in ten derived from the token before it, one in twenty revoked,
 * one in twenty issued for a principal by a delegating operator; 1,000 principals; one secret in
 * fifty tokens is the first secret's, for a deep listing by secret.
 */
final class SeedRows {
  static final int BATCH = 20_000;
  static final long DAY = 86_400_000L;
  private static final long[] TTLS = {15 * 60_000L, 30 * 60_000L, 60 * 60_000L};
  private static final String UPSTREAM =
      "{\"hosts\":[\"api.openai.com\"],\"methods\":[\"POST\"],\"path_prefixes\":[\"/v1/\"]}";
  private static final String TOKEN_INSERT =
      "INSERT INTO tokens (id, parent_id, root_id, depth, ancestors, secret_id, secret_version,"
          + " scope_name, operations, upstream, subject, actor, service_account_id, api_key_id,"
          + " environment, issued_at, expires_at, max_uses, uses, max_amount, amount_used,"
          + " amount_field, status, revoked_at, policy_id, policy_version, policy_rule,"
          + " audit_offset, secret_account_id) VALUES (?, ?, ?, ?, ?, ?, 1, 'model-access',"
          + " 'proxy', ?, ?, ?, ?, NULL, 'production', ?, ?, NULL, 0, NULL, '0', NULL, ?, ?,"
          + " 'KEY-SCOPE-17', 1, 'agents-model-access', 0, ?)";

  private final Database db;
  private final String account;
  private final List<String> secrets;
  private final long now;
  private final SplittableRandom random = new SplittableRandom(20);
  private final List<Token> sample = new java.util.ArrayList<>();

  SeedRows(Database db, String account, List<String> secrets, long now) {
    this.db = db;
    this.account = account;
    this.secrets = secrets;
    this.now = now;
  }

  /** {@code tokens} tokens, then audit records up to {@code records} in all. */
  void tokensAndRecords(int tokens, int records) {
    Token prev = null;
    for (int done = 0; done < tokens; ) {
      int n = Math.min(BATCH, tokens - done);
      Token[] batch = new Token[n];
      for (int i = 0; i < n; i++) {
        batch[i] = prev = next(done + i, prev);
        if (random.nextInt(10) == 0) {
          sample.add(prev);
        }
      }
      db.inTransaction(h -> insert(h, batch));
      done += n;
      if (done % 200_000 == 0) {
        System.out.printf("  %,d tokens%n", done);
      }
    }
    new SeedAudit(db, sample, random).fill(records);
  }

  /** A token of one month of use; one in ten derived from {@code prev}. */
  private Token next(int i, Token prev) {
    boolean child = prev != null && prev.depth == 0 && random.nextInt(10) == 0;
    String id = Ids.random("tok_", 16);
    long issued =
        child ? prev.issued + 1_000 + random.nextInt(60_000) : now - random.nextLong(30 * DAY);
    long ttl = TTLS[random.nextInt(TTLS.length)];
    String status = random.nextInt(20) == 0 ? "revoked" : "active";
    return new Token(
        id,
        child ? prev.id : null,
        child ? prev.root : id,
        child ? 1 : 0,
        child ? " " + prev.id + " " : " ",
        child
            ? prev.secret
            : secrets.get(random.nextInt(50) == 0 ? 0 : random.nextInt(secrets.size())),
        child ? prev.subject : "agent-runtime-" + random.nextInt(ListingSeed.PRINCIPALS),
        random.nextInt(20) == 0 ? "operator-" + random.nextInt(20) : null,
        issued,
        child ? Math.min(prev.expires, issued + ttl) : issued + ttl,
        status,
        status.equals("revoked") ? issued + random.nextLong(ttl) : null);
  }

  private Void insert(org.jdbi.v3.core.Handle h, Token[] batch) {
    PreparedBatch b = h.prepareBatch(TOKEN_INSERT);
    for (Token t : batch) {
      b.add(
          t.id,
          t.parent,
          t.root,
          t.depth,
          t.ancestors,
          t.secret,
          UPSTREAM,
          t.subject,
          t.actor,
          account,
          t.issued,
          t.expires,
          t.status,
          t.revokedAt,
          account);
    }
    b.execute();
    PreparedBatch r =
        h.prepareBatch(
            "INSERT INTO revocations (kind, target, cascade, revoked_at, actor, reason)"
                + " VALUES ('token', ?, 1, ?, 'operator-0', 'bench')");
    int revoked = 0;
    for (Token t : batch) {
      if (t.revokedAt != null) {
        r.add(t.id, t.revokedAt);
        revoked++;
      }
    }
    if (revoked > 0) {
      r.execute();
    }
    return null;
  }

  record Token(
      String id,
      String parent,
      String root,
      int depth,
      String ancestors,
      String secret,
      String subject,
      String actor,
      long issued,
      long expires,
      String status,
      Long revokedAt) {}
}
