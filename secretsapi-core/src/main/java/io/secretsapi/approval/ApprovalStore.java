package io.secretsapi.approval;

import io.secretsapi.policy.PolicyRef;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** The approvals table, in SQL both dialects speak. */
final class ApprovalStore {
  private ApprovalStore() {}

  static void insert(Handle h, Approval a) {
    h.createUpdate(
            "INSERT INTO approvals (id, account_id, requester, subject, secret_id, scope_name,"
                + " ttl_seconds, operations, environment, policy_id, policy_version, policy_rule,"
                + " approvers, state, created_at, expires_at) VALUES (:id, :a, :r, :sub, :s,"
                + " :sc, :ttl, :ops, :env, :pid, :pv, :pr, :ap, 'pending', :c, :e)")
        .bind("id", a.id())
        .bind("a", a.accountId())
        .bind("r", a.requester())
        .bind("sub", a.subject())
        .bind("s", a.secretId())
        .bind("sc", a.scope())
        .bind("ttl", a.ttlSeconds())
        .bind("ops", String.join(" ", a.operations()))
        .bind("env", a.environment())
        .bind("pid", a.policy().id())
        .bind("pv", a.policy().version())
        .bind("pr", a.policy().rule())
        .bind("ap", String.join(" ", a.approvers()))
        .bind("c", a.createdAt().toEpochMilli())
        .bind("e", a.expiresAt().toEpochMilli())
        .execute();
  }

  static Optional<Approval> find(Handle h, String id) {
    return h.createQuery("SELECT * FROM approvals WHERE id = :id")
        .bind("id", id)
        .map((rs, c) -> row(rs))
        .findFirst();
  }

  /** Newest first, pending first; {@code limit} rows at most. */
  static List<Approval> list(Handle h, int limit) {
    return h.createQuery(
            "SELECT * FROM approvals ORDER BY CASE WHEN state = 'pending' THEN 0 ELSE 1 END,"
                + " created_at DESC, id LIMIT :n")
        .bind("n", limit)
        .map((rs, c) -> row(rs))
        .list();
  }

  /**
   * Records a decision on a pending, unexpired approval; false when it was not pending any more
   * (another node decided first) or its time was up. An approval keeps, from its decision, as long
   * again as it waited at most, for the requester to collect the token.
   */
  static boolean decide(
      Handle h, String id, String state, String by, String reason, Instant at, Instant expires) {
    return h.createUpdate(
                "UPDATE approvals SET state = :st, decided_by = :by, reason = :r,"
                    + " decided_at = :at, expires_at = :e"
                    + " WHERE id = :id AND state = 'pending' AND expires_at > :at")
            .bind("st", state)
            .bind("by", by)
            .bind("r", reason)
            .bind("at", at.toEpochMilli())
            .bind("e", expires.toEpochMilli())
            .bind("id", id)
            .execute()
        == 1;
  }

  /** Spends an approved approval on one token; false when it was not approved (or time was up). */
  static boolean issue(Handle h, String id, String tokenId, Instant at) {
    return h.createUpdate(
                "UPDATE approvals SET state = 'issued', token_id = :t"
                    + " WHERE id = :id AND state = 'approved' AND expires_at > :at")
            .bind("t", tokenId)
            .bind("id", id)
            .bind("at", at.toEpochMilli())
            .execute()
        == 1;
  }

  /** Ids of pending or approved approvals whose time is up. */
  static List<String> overdue(Handle h, Instant now) {
    return h.createQuery(
            "SELECT id FROM approvals WHERE state IN ('pending', 'approved')"
                + " AND expires_at <= :now ORDER BY expires_at LIMIT 500")
        .bind("now", now.toEpochMilli())
        .mapTo(String.class)
        .list();
  }

  /** Marks one overdue approval expired; false when another node did first. */
  static boolean expire(Handle h, String id, Instant now) {
    return h.createUpdate(
                "UPDATE approvals SET state = 'expired'"
                    + " WHERE id = :id AND state IN ('pending', 'approved') AND expires_at <= :now")
            .bind("id", id)
            .bind("now", now.toEpochMilli())
            .execute()
        == 1;
  }

  private static Approval row(ResultSet rs) throws SQLException {
    long decided = rs.getLong("decided_at");
    boolean hasDecided = !rs.wasNull();
    return new Approval(
        rs.getString("id"),
        rs.getString("account_id"),
        rs.getString("requester"),
        rs.getString("subject"),
        rs.getString("secret_id"),
        rs.getString("scope_name"),
        rs.getLong("ttl_seconds"),
        words(rs.getString("operations")),
        rs.getString("environment"),
        new PolicyRef(
            rs.getString("policy_id"), rs.getInt("policy_version"), rs.getString("policy_rule")),
        words(rs.getString("approvers")),
        rs.getString("state"),
        Optional.ofNullable(rs.getString("decided_by")),
        Optional.ofNullable(rs.getString("reason")),
        Optional.ofNullable(rs.getString("token_id")),
        Instant.ofEpochMilli(rs.getLong("created_at")),
        Instant.ofEpochMilli(rs.getLong("expires_at")),
        hasDecided ? Optional.of(Instant.ofEpochMilli(decided)) : Optional.empty());
  }

  private static List<String> words(String s) {
    return s == null || s.isBlank() ? List.of() : Arrays.asList(s.trim().split(" "));
  }
}
