package io.secretsapi.incident;

import io.secretsapi.storage.Jdbc;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** The incidents, their steps and the principals they affected, in SQL both dialects speak. */
final class IncidentStore {
  private IncidentStore() {}

  /** One incident row. */
  record Row(
      String id,
      String secretId,
      Optional<String> tokenId,
      String accountId,
      String reason,
      String state,
      int throughVersion,
      List<String> upstreams,
      long derivatives,
      String openedBy,
      Instant openedAt,
      Optional<String> closedBy,
      Optional<Instant> closedAt,
      Optional<String> closeNote) {}

  /** One principal (and scope) that held a live grant, and its replacement. */
  record Principal(
      String principal, String scope, long revoked, Optional<String> replacementId, long uses) {}

  static void insert(Handle h, Row r) {
    h.createUpdate(
            "INSERT INTO incidents (id, secret_id, token_id, account_id, reason, state,"
                + " through_version, upstreams, derivatives, opened_by, opened_at)"
                + " VALUES (:id, :s, :t, :a, :r, 'open', :v, :u, :d, :by, :at)")
        .bind("id", r.id())
        .bind("s", r.secretId())
        .bind("t", r.tokenId().orElse(null))
        .bind("a", r.accountId())
        .bind("r", r.reason())
        .bind("v", r.throughVersion())
        .bind("u", String.join(" ", r.upstreams()))
        .bind("d", r.derivatives())
        .bind("by", r.openedBy())
        .bind("at", r.openedAt().toEpochMilli())
        .execute();
  }

  static void insertPrincipal(Handle h, String incidentId, String principal, String scope, long n) {
    h.createUpdate(
            "INSERT INTO incident_principals (incident_id, principal, scope_name, revoked)"
                + " VALUES (:i, :p, :s, :n)")
        .bind("i", incidentId)
        .bind("p", principal)
        .bind("s", scope)
        .bind("n", n)
        .execute();
  }

  static void setReplacement(
      Handle h, String incidentId, String principal, String scope, String tokenId) {
    h.createUpdate(
            "UPDATE incident_principals SET replacement_id = :t"
                + " WHERE incident_id = :i AND principal = :p AND scope_name = :s")
        .bind("t", tokenId)
        .bind("i", incidentId)
        .bind("p", principal)
        .bind("s", scope)
        .execute();
  }

  static void step(Handle h, String incidentId, Incident.Step s) {
    h.createUpdate("DELETE FROM incident_steps WHERE incident_id = :i AND step = :n")
        .bind("i", incidentId)
        .bind("n", s.step())
        .execute();
    h.createUpdate(
            "INSERT INTO incident_steps (incident_id, step, name, state, detail, count, at_ms,"
                + " took_ms, audit_ref) VALUES (:i, :n, :name, :st, :d, :c, :at, :took, :ref)")
        .bind("i", incidentId)
        .bind("n", s.step())
        .bind("name", s.name())
        .bind("st", s.state())
        .bind("d", s.detail())
        .bind("c", s.count())
        .bind("at", s.atMillis())
        .bind("took", s.tookMillis())
        .bind("ref", s.auditRef().orElse(null))
        .execute();
  }

  /** Closes an open incident; false when it was not open (closed meanwhile). */
  static boolean close(Handle h, String id, String by, Instant at, String note) {
    return h.createUpdate(
                "UPDATE incidents SET state = 'closed', closed_by = :by, closed_at = :at,"
                    + " close_note = :n WHERE id = :id AND state = 'open'")
            .bind("by", by)
            .bind("at", at.toEpochMilli())
            .bind("n", note)
            .bind("id", id)
            .execute()
        == 1;
  }

  static Optional<Row> find(Handle h, String id) {
    return h.createQuery("SELECT * FROM incidents WHERE id = :id")
        .bind("id", id)
        .map((rs, c) -> row(rs))
        .findFirst();
  }

  /** The open incident of {@code secretId}, if any. */
  static Optional<String> openOf(Handle h, String secretId) {
    return Jdbc.first(
        h,
        "SELECT id FROM incidents WHERE state = 'open' AND secret_id = ?",
        rs -> rs.getString(1),
        secretId);
  }

  /** Every open incident: the blocks every node enforces. */
  static List<Row> open(Handle h) {
    return h.createQuery("SELECT * FROM incidents WHERE state = 'open'")
        .map((rs, c) -> row(rs))
        .list();
  }

  /** Incidents newest first, of one account or (empty) all, of one state or (empty) both. */
  static List<Row> list(Handle h, Optional<String> account, Optional<String> state, int limit) {
    var q =
        h.createQuery(
            "SELECT * FROM incidents WHERE 1 = 1"
                + (account.isPresent() ? " AND account_id = :a" : "")
                + (state.isPresent() ? " AND state = :st" : "")
                + " ORDER BY opened_at DESC, id LIMIT :l");
    account.ifPresent(a -> q.bind("a", a));
    state.ifPresent(st -> q.bind("st", st));
    return q.bind("l", limit).map((rs, c) -> row(rs)).list();
  }

  static List<Incident.Step> steps(Handle h, String id) {
    return h.createQuery("SELECT * FROM incident_steps WHERE incident_id = :i ORDER BY step")
        .bind("i", id)
        .map(
            (rs, c) ->
                new Incident.Step(
                    rs.getInt("step"),
                    rs.getString("name"),
                    rs.getString("state"),
                    rs.getString("detail"),
                    rs.getLong("count"),
                    rs.getLong("at_ms"),
                    rs.getLong("took_ms"),
                    Optional.ofNullable(rs.getString("audit_ref"))))
        .list();
  }

  /** The principals of an incident, each with the uses of its replacement so far. */
  static List<Principal> principals(Handle h, String id) {
    return h.createQuery(
            "SELECT p.principal, p.scope_name, p.revoked, p.replacement_id,"
                + " COALESCE(t.uses, 0) FROM incident_principals p"
                + " LEFT JOIN tokens t ON t.id = p.replacement_id"
                + " WHERE p.incident_id = :i ORDER BY p.principal, p.scope_name")
        .bind("i", id)
        .map(
            (rs, c) ->
                new Principal(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getLong(3),
                    Optional.ofNullable(rs.getString(4)),
                    rs.getLong(5)))
        .list();
  }

  /** Derived grants of the contained versions that are still active: zero once step 1 ran. */
  static long derivativesStillActive(Handle h, Row r) {
    return h.createQuery(
            "SELECT COUNT(*) FROM tokens WHERE secret_id = :s AND depth > 0"
                + " AND status = 'active' AND secret_version <= :v AND issued_at <= :at")
        .bind("s", r.secretId())
        .bind("v", r.throughVersion())
        .bind("at", r.openedAt().toEpochMilli())
        .mapTo(Long.class)
        .one();
  }

  private static Row row(java.sql.ResultSet rs) throws java.sql.SQLException {
    long closedAt = rs.getLong("closed_at");
    boolean closed = !rs.wasNull();
    String ups = rs.getString("upstreams");
    return new Row(
        rs.getString("id"),
        rs.getString("secret_id"),
        Optional.ofNullable(rs.getString("token_id")),
        rs.getString("account_id"),
        rs.getString("reason"),
        rs.getString("state"),
        rs.getInt("through_version"),
        ups.isEmpty() ? List.of() : List.of(ups.split(" ")),
        rs.getLong("derivatives"),
        rs.getString("opened_by"),
        Instant.ofEpochMilli(rs.getLong("opened_at")),
        Optional.ofNullable(rs.getString("closed_by")),
        closed ? Optional.of(Instant.ofEpochMilli(closedAt)) : Optional.empty(),
        Optional.ofNullable(rs.getString("close_note")));
  }
}
