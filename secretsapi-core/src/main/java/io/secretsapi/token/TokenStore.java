package io.secretsapi.token;

import io.secretsapi.policy.PolicyRef;
import io.secretsapi.storage.Jdbc;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** SQL for grants. Ancestors are stored space-delimited with a leading and trailing space. */
final class TokenStore {
  private TokenStore() {}

  /**
   * The token row of {@code g} but its audit offset, rendered on the caller's thread so that the
   * group commit's writer only binds it.
   */
  record NewRow(Grant g, String ancestors, String operations, String upstream) {
    static NewRow of(Grant g) {
      return new NewRow(
          g,
          " " + String.join(" ", g.ancestors()) + " ",
          Operation.join(g.operations()),
          ScopeStore.JSON.writeValueAsString(g.upstream().toMap()));
    }
  }

  static void insert(Handle h, Grant g) {
    insert(h, NewRow.of(g), g.auditOffset());
  }

  static void insert(Handle h, NewRow row, long auditOffset) {
    Grant g = row.g();
    Jdbc.update(
        h,
        "INSERT INTO tokens (id, parent_id, root_id, depth, ancestors, secret_id, secret_version,"
            + " scope_name, operations, upstream, subject, actor, service_account_id, api_key_id, environment,"
            + " issued_at, expires_at, max_uses, uses, max_amount, amount_used, amount_field, status,"
            + " policy_id, policy_version, policy_rule, audit_offset, secret_account_id) VALUES (?, ?, ?,"
            + " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, '0', ?, 'active', ?, ?, ?, ?,"
            + " (SELECT account_id FROM secrets WHERE id = ?))",
        g.id(),
        g.parentId().orElse(null),
        g.rootId(),
        g.depth(),
        row.ancestors(),
        g.secretId(),
        g.secretVersion(),
        g.scope(),
        row.operations(),
        row.upstream(),
        g.subject(),
        g.actor().orElse(null),
        g.serviceAccountId(),
        g.apiKeyId().orElse(null),
        g.environment(),
        g.issuedAt().toEpochMilli(),
        g.expiresAt().toEpochMilli(),
        g.maxUses().orElse(null),
        g.maxAmount().map(BigDecimal::toPlainString).orElse(null),
        g.amountField().orElse(null),
        g.policy().id(),
        g.policy().version(),
        g.policy().rule(),
        auditOffset,
        g.secretId());
  }

  static Optional<Grant> find(Handle h, String id, Instant now) {
    return Jdbc.first(h, "SELECT * FROM tokens WHERE id = ?", rs -> grant(rs, now), id);
  }

  /** What {@link #takeUse} found. */
  enum Use {
    TAKEN,
    NONE_LEFT,
    REVOKED
  }

  /**
   * The one statement that lets a grant release a value (a reveal, a proxied call): it takes one
   * use only while the grant is active, has a use left, and no revocation that reaches it has
   * committed, by the same rules as {@link RevocationIndex#isRevoked} (its id; an ancestor revoked
   * with cascade; its secret, principal, actor or API key revoked at or after it was issued). The
   * in-memory index may be a moment behind another node's revocation; this statement is not: on
   * PostgreSQL a revocation that committed before it began, or while it waited for the row, stops
   * it, so that no node releases a value once any node has acknowledged the revocation. It costs no
   * round trip of its own: the use is taken in the same statement, each check an index probe.
   */
  static Use takeUse(Handle h, String id) {
    if (Jdbc.update(h, TAKE_USE, id) == 1) {
      return Use.TAKEN;
    }
    return Jdbc.first(
            h,
            "SELECT 1 FROM tokens WHERE id = ? AND status = 'active'"
                + " AND (max_uses IS NOT NULL AND uses >= max_uses)",
            rs -> Use.NONE_LEFT,
            id)
        .orElse(Use.REVOKED);
  }

  private static final String TAKE_USE =
      "UPDATE tokens SET uses = uses + 1 WHERE id = ? AND status = 'active'"
          + " AND (max_uses IS NULL OR uses < max_uses)"
          + " AND NOT EXISTS (SELECT 1 FROM revocations r"
          + "   WHERE r.kind = 'token' AND r.target = tokens.id)"
          + " AND NOT EXISTS (SELECT 1 FROM revocations r WHERE r.kind = 'secret'"
          + "   AND r.target = tokens.secret_id AND r.revoked_at >= tokens.issued_at)"
          + " AND NOT EXISTS (SELECT 1 FROM revocations r WHERE r.kind = 'principal'"
          + "   AND (r.target = tokens.subject OR r.target = tokens.actor)"
          + "   AND r.revoked_at >= tokens.issued_at)"
          + " AND (tokens.api_key_id IS NULL OR NOT EXISTS (SELECT 1 FROM revocations r"
          + "   WHERE r.kind = 'api_key' AND r.target = tokens.api_key_id"
          + "   AND r.revoked_at >= tokens.issued_at))"
          + " AND (tokens.depth = 0 OR NOT EXISTS (SELECT 1 FROM tokens a"
          + "   JOIN revocations r ON r.kind = 'token' AND r.target = a.id AND r.cascade = 1"
          + "   WHERE a.root_id = tokens.root_id AND a.depth < tokens.depth"
          + "   AND tokens.ancestors LIKE '% ' || a.id || ' %'))";

  /** Reserves {@code uses} of a parent's budget for a child; false when not enough is left. */
  static boolean reserveUses(Handle h, String id, long uses) {
    return h.createUpdate(
                "UPDATE tokens SET uses = uses + :n WHERE id = :id AND (max_uses IS NULL OR uses + :n <= max_uses)")
            .bind("id", id)
            .bind("n", uses)
            .execute()
        == 1;
  }

  static void setAmountUsed(Handle h, String id, BigDecimal used) {
    Jdbc.update(h, "UPDATE tokens SET amount_used = ? WHERE id = ?", used.toPlainString(), id);
  }

  /** Marks a token, and its subtree when {@code cascade}, revoked; answers how many were active. */
  static int revokeTree(Handle h, String id, boolean cascade, Instant at) {
    String where =
        cascade
            ? "root_id = (SELECT root_id FROM tokens WHERE id = :id) AND (id = :id OR ancestors LIKE :like)"
            : "id = :id";
    return h.createUpdate(
            "UPDATE tokens SET status = 'revoked', revoked_at = :at WHERE status = 'active' AND "
                + where)
        .bind("id", id)
        .bind("like", "% " + id + " %")
        .bind("at", at.toEpochMilli())
        .execute();
  }

  /** Marks every active token matching {@code column = value} and issued by then as revoked. */
  static int revokeWhere(Handle h, String column, String value, Instant at) {
    String cond = column.equals("subject") ? "(subject = :v OR actor = :v)" : column + " = :v";
    return h.createUpdate(
            "UPDATE tokens SET status = 'revoked', revoked_at = :at WHERE status = 'active' AND "
                + cond
                + " AND issued_at <= :at")
        .bind("v", value)
        .bind("at", at.toEpochMilli())
        .execute();
  }

  static List<Grant> byRoot(Handle h, String rootId, Instant now) {
    return h.createQuery("SELECT * FROM tokens WHERE root_id = :root ORDER BY depth, issued_at, id")
        .bind("root", rootId)
        .map((rs, c) -> grant(rs, now))
        .list();
  }

  static Grant grant(ResultSet rs, Instant now) throws SQLException {
    long maxUses = rs.getLong("max_uses");
    Optional<Long> mu = rs.wasNull() ? Optional.empty() : Optional.of(maxUses);
    long revoked = rs.getLong("revoked_at");
    Optional<Instant> revokedAt =
        rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(revoked));
    Instant exp = Instant.ofEpochMilli(rs.getLong("expires_at"));
    String status = rs.getString("status");
    if (status.equals("active") && !exp.isAfter(now)) {
      status = "expired";
    }
    String anc = rs.getString("ancestors").trim();
    return new Grant(
        rs.getString("id"),
        Optional.ofNullable(rs.getString("parent_id")),
        rs.getString("root_id"),
        rs.getInt("depth"),
        anc.isEmpty() ? List.of() : Arrays.asList(anc.split(" ")),
        rs.getString("secret_id"),
        rs.getInt("secret_version"),
        rs.getString("scope_name"),
        Operation.split(rs.getString("operations")),
        ScopeStore.upstream(rs.getString("upstream")),
        rs.getString("subject"),
        Optional.ofNullable(rs.getString("actor")),
        rs.getString("service_account_id"),
        Optional.ofNullable(rs.getString("api_key_id")),
        rs.getString("environment"),
        Instant.ofEpochMilli(rs.getLong("issued_at")),
        exp,
        mu,
        rs.getLong("uses"),
        Optional.ofNullable(rs.getString("max_amount")).map(BigDecimal::new),
        new BigDecimal(rs.getString("amount_used")),
        Optional.ofNullable(rs.getString("amount_field")),
        status,
        revokedAt,
        new PolicyRef(
            rs.getString("policy_id"), rs.getInt("policy_version"), rs.getString("policy_rule")),
        rs.getLong("audit_offset"));
  }
}
