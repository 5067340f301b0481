package io.secretsapi.approval;

import io.secretsapi.policy.PolicyRef;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.SqlStatements;

/** The approvals table, in SQL both dialects speak. */
final class ApprovalStore {
  private ApprovalStore() {}

  static void insert(Handle h, Approval a) {
    h.createUpdate(
            "INSERT INTO approvals (id, account_id, requester, subject, secret_id, scope_name,"
                + " ttl_seconds, operations, environment, policy_id, policy_version, policy_rule,"
                + " approvers, state, created_at, expires_at, scope_digest) VALUES (:id, :a, :r, :sub,"
                + " :s, :sc, :ttl, :ops, :env, :pid, :pv, :pr, :ap, 'pending', :c, :e, :dg)")
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
        .bind("dg", a.scopeDigest().orElse(null))
        .execute();
  }

  static Optional<Approval> find(Handle h, String id) {
    return h.createQuery("SELECT * FROM approvals WHERE id = :id")
        .bind("id", id)
        .map((rs, c) -> row(rs))
        .findFirst();
  }

  /** Where a page of the listing starts: after the row with these sort keys. */
  record After(int rank, long createdAt, String id) {}

  /**
   * One page of the approvals a viewer may see, in SQL so that no other account's rows crowd the
   * viewer's out: pending first (pending as of {@code asOf}, which stays the same for every page of
   * one listing), then newest first, then by id. {@code account} empty reads every account's
   * (admin); otherwise the rows of that account and those whose approvers name one of {@code
   * names}. {@code limit} rows at most.
   */
  static List<Approval> page(
      Handle h,
      Optional<String> account,
      List<String> names,
      Optional<String> state,
      Instant now,
      Instant asOf,
      Optional<After> after,
      int limit) {
    String rank = "CASE WHEN state = 'pending' AND expires_at > :asof THEN 0 ELSE 1 END";
    List<String> where = new ArrayList<>();
    if (account.isPresent()) {
      List<String> any = new ArrayList<>(List.of("account_id = :acct"));
      for (int i = 0; i < names.size(); i++) {
        any.add("(' ' || approvers || ' ') LIKE :n" + i + " ESCAPE '!'");
      }
      where.add("(" + String.join(" OR ", any) + ")");
    }
    state.ifPresent(
        s ->
            where.add(
                switch (s) {
                  case "pending", "approved" -> "state = :st AND expires_at > :now";
                  case "expired" ->
                      "(state = 'expired' OR (state IN ('pending', 'approved')"
                          + " AND expires_at <= :now))";
                  default -> "state = :st";
                }));
    after.ifPresent(
        a ->
            where.add(
                "("
                    + rank
                    + " > :kr OR ("
                    + rank
                    + " = :kr AND (created_at < :kc OR (created_at = :kc AND id > :ki))))"));
    String sql =
        "SELECT * FROM approvals"
            + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
            + " ORDER BY "
            + rank
            + ", created_at DESC, id LIMIT :lim";
    Query q = h.createQuery(sql);
    q.getConfig(SqlStatements.class).setUnusedBindingAllowed(true);
    q.bind("asof", asOf.toEpochMilli()).bind("now", now.toEpochMilli()).bind("lim", limit);
    account.ifPresent(a -> q.bind("acct", a));
    for (int i = 0; i < names.size(); i++) {
      q.bind("n" + i, "% " + likeEscape(names.get(i)) + " %");
    }
    state.ifPresent(s -> q.bind("st", s));
    after.ifPresent(a -> q.bind("kr", a.rank()).bind("kc", a.createdAt()).bind("ki", a.id()));
    return q.map((rs, c) -> row(rs)).list();
  }

  private static String likeEscape(String s) {
    return s.replace("!", "!!").replace("%", "!%").replace("_", "!_");
  }

  /**
   * How many approvals principal {@code requester} of {@code account} has pending at {@code now}.
   */
  static int pending(Handle h, String account, String requester, Instant now) {
    return h.createQuery(
            "SELECT COUNT(*) FROM approvals WHERE account_id = :a AND requester = :r"
                + " AND state = 'pending' AND expires_at > :now")
        .bind("a", account)
        .bind("r", requester)
        .bind("now", now.toEpochMilli())
        .mapTo(Integer.class)
        .one();
  }

  /**
   * Records a decision on a pending, unexpired approval; false when it was not pending any more
   * (another node decided first) or its time was up. An approval keeps, from its decision, as long
   * again as it waited at most, for the requester to collect the token.
   */
  static boolean decide(
      Handle h,
      String id,
      String state,
      String by,
      String byAccount,
      String reason,
      Instant at,
      Instant expires) {
    return h.createUpdate(
                "UPDATE approvals SET state = :st, decided_by = :by, decided_by_account = :ba,"
                    + " reason = :r, decided_at = :at, expires_at = :e"
                    + " WHERE id = :id AND state = 'pending' AND expires_at > :at")
            .bind("st", state)
            .bind("by", by)
            .bind("ba", byAccount)
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
        hasDecided ? Optional.of(Instant.ofEpochMilli(decided)) : Optional.empty(),
        Optional.ofNullable(rs.getString("scope_digest")),
        Optional.ofNullable(rs.getString("decided_by_account")));
  }

  private static List<String> words(String s) {
    return s == null || s.isBlank() ? List.of() : Arrays.asList(s.trim().split(" "));
  }
}
