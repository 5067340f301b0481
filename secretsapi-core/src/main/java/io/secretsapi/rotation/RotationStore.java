package io.secretsapi.rotation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** SQL for rotations and rotation settings. Every method runs on the caller's handle. */
final class RotationStore {
  private static final String COLUMNS =
      "id, secret_id, account_id, trigger_kind, reason, requested_by, idempotency_key, rotator,"
          + " state, from_version, to_version, grace_ms, grace_until, failure, attempts, due_at,"
          + " created_at, updated_at";

  private RotationStore() {}

  static void insert(Handle h, RotationJob r) {
    h.createUpdate(
            "INSERT INTO rotations ("
                + COLUMNS
                + ") VALUES (:id, :secret, :account, :trigger, :reason, :by, :key, :rotator,"
                + " :state, NULL, NULL, :grace, NULL, NULL, 0, :due, :at, :at)")
        .bind("id", r.id())
        .bind("secret", r.secretId())
        .bind("account", r.accountId())
        .bind("trigger", r.trigger().wire())
        .bind("reason", r.reason())
        .bind("by", r.requestedBy())
        .bind("key", r.idempotencyKey().orElse(null))
        .bind("rotator", r.rotator())
        .bind("state", r.state().wire())
        .bind("grace", r.grace().toMillis())
        .bind("due", r.dueAt().toEpochMilli())
        .bind("at", r.createdAt().toEpochMilli())
        .execute();
  }

  static Optional<RotationJob> find(Handle h, String id) {
    return h.createQuery("SELECT " + COLUMNS + " FROM rotations WHERE id = :id")
        .bind("id", id)
        .map((rs, ctx) -> job(rs))
        .findOne();
  }

  static Optional<RotationJob> byKey(Handle h, String secretId, String key) {
    return h.createQuery(
            "SELECT " + COLUMNS + " FROM rotations WHERE secret_id = :s AND idempotency_key = :k")
        .bind("s", secretId)
        .bind("k", key)
        .map((rs, ctx) -> job(rs))
        .findOne();
  }

  /** The rotation of the secret still making its value (queued, pending or validated), if any. */
  static Optional<RotationJob> inFlight(Handle h, String secretId) {
    return h.createQuery(
            "SELECT "
                + COLUMNS
                + " FROM rotations WHERE secret_id = :s"
                + " AND state IN ('queued', 'pending', 'validated', 'promoted')"
                + " ORDER BY created_at LIMIT 1")
        .bind("s", secretId)
        .map((rs, ctx) -> job(rs))
        .findOne();
  }

  /** Rotations of the secret whose old value is still in its grace window. */
  static List<RotationJob> inGrace(Handle h, String secretId) {
    return h.createQuery(
            "SELECT " + COLUMNS + " FROM rotations WHERE secret_id = :s AND state = 'previous'")
        .bind("s", secretId)
        .map((rs, ctx) -> job(rs))
        .list();
  }

  /** Rotations with work due at {@code now}, oldest first. */
  static List<RotationJob> due(Handle h, Instant now, int limit) {
    return h.createQuery(
            "SELECT "
                + COLUMNS
                + " FROM rotations WHERE state IN ('queued', 'pending', 'validated', 'promoted',"
                + " 'previous') AND due_at <= :now ORDER BY due_at, id LIMIT :limit")
        .bind("now", now.toEpochMilli())
        .bind("limit", limit)
        .map((rs, ctx) -> job(rs))
        .list();
  }

  /** Newest first, optionally of one secret, one state and one account. */
  static List<RotationJob> list(
      Handle h,
      Optional<String> secretId,
      Optional<RotationState> state,
      Optional<String> account,
      int limit) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM rotations WHERE 1 = 1");
    secretId.ifPresent(s -> sql.append(" AND secret_id = :secret"));
    state.ifPresent(s -> sql.append(" AND state = :state"));
    account.ifPresent(a -> sql.append(" AND account_id = :account"));
    sql.append(" ORDER BY created_at DESC, id DESC LIMIT :limit");
    var q = h.createQuery(sql.toString()).bind("limit", limit);
    secretId.ifPresent(s -> q.bind("secret", s));
    state.ifPresent(s -> q.bind("state", s.wire()));
    account.ifPresent(a -> q.bind("account", a));
    return q.map((rs, ctx) -> job(rs)).list();
  }

  /** Open rotations by state, optionally of one account. */
  static Map<RotationState, Long> openCounts(Handle h, Optional<String> account) {
    String sql =
        "SELECT state, COUNT(*) FROM rotations WHERE state IN ('queued', 'pending', 'validated',"
            + " 'promoted', 'previous')"
            + (account.isPresent() ? " AND account_id = :account" : "")
            + " GROUP BY state";
    var q = h.createQuery(sql);
    account.ifPresent(a -> q.bind("account", a));
    Map<RotationState, Long> out = new java.util.EnumMap<>(RotationState.class);
    q.map((rs, ctx) -> Map.entry(RotationState.parse("state", rs.getString(1)), rs.getLong(2)))
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  /**
   * Moves a rotation from {@code from} to {@code to} unless another transaction already moved it;
   * answers whether this one did.
   */
  static boolean move(
      Handle h, String id, RotationState from, RotationState to, Instant now, Instant due) {
    return h.createUpdate(
                "UPDATE rotations SET state = :to, updated_at = :now, due_at = :due"
                    + " WHERE id = :id AND state = :from")
            .bind("id", id)
            .bind("from", from.wire())
            .bind("to", to.wire())
            .bind("now", now.toEpochMilli())
            .bind("due", due.toEpochMilli())
            .execute()
        == 1;
  }

  static void setVersions(Handle h, String id, int from, int to) {
    h.createUpdate("UPDATE rotations SET from_version = :f, to_version = :t WHERE id = :id")
        .bind("id", id)
        .bind("f", from)
        .bind("t", to)
        .execute();
  }

  static void setGraceUntil(Handle h, String id, Instant until) {
    h.createUpdate("UPDATE rotations SET grace_until = :u WHERE id = :id")
        .bind("id", id)
        .bind("u", until.toEpochMilli())
        .execute();
  }

  static void setFailure(Handle h, String id, String failure) {
    h.createUpdate("UPDATE rotations SET failure = :f WHERE id = :id")
        .bind("id", id)
        .bind("f", failure)
        .execute();
  }

  /** Counts an attempt at the rotation's next step, and when it may be tried again. */
  static void attempted(Handle h, String id, Instant due) {
    h.createUpdate("UPDATE rotations SET attempts = attempts + 1, due_at = :due WHERE id = :id")
        .bind("id", id)
        .bind("due", due.toEpochMilli())
        .execute();
  }

  private static RotationJob job(ResultSet rs) throws SQLException {
    return new RotationJob(
        rs.getString("id"),
        rs.getString("secret_id"),
        rs.getString("account_id"),
        Trigger.valueOf(rs.getString("trigger_kind").toUpperCase(java.util.Locale.ROOT)),
        rs.getString("reason"),
        rs.getString("requested_by"),
        Optional.ofNullable(rs.getString("idempotency_key")),
        rs.getString("rotator"),
        RotationState.valueOf(rs.getString("state").toUpperCase(java.util.Locale.ROOT)),
        optInt(rs, "from_version"),
        optInt(rs, "to_version"),
        Duration.ofMillis(rs.getLong("grace_ms")),
        optInstant(rs, "grace_until"),
        Optional.ofNullable(rs.getString("failure")),
        rs.getInt("attempts"),
        Instant.ofEpochMilli(rs.getLong("due_at")),
        Instant.ofEpochMilli(rs.getLong("created_at")),
        Instant.ofEpochMilli(rs.getLong("updated_at")));
  }

  // --- settings

  static void saveSettings(Handle h, RotationSettings s) {
    h.createUpdate("DELETE FROM rotation_settings WHERE secret_id = :id")
        .bind("id", s.secretId())
        .execute();
    h.createUpdate(
            "INSERT INTO rotation_settings (secret_id, rotator, grace_ms, every_ms, cron,"
                + " next_due_at, length, alphabet, webhook_url, timeout_ms, pg_url, pg_roles,"
                + " pg_admin_secret, requested_by, updated_at) VALUES (:id, :rotator, :grace,"
                + " :every, :cron, :next, :length, :alphabet, :webhook, :timeout, :pg, :roles,"
                + " :admin, :by, :at)")
        .bind("id", s.secretId())
        .bind("rotator", s.rotator())
        .bind("grace", s.grace().toMillis())
        .bind("every", s.every().toMillis())
        .bind("cron", s.cron().orElse(null))
        .bind("next", s.nextDueAt().map(Instant::toEpochMilli).orElse(null))
        .bind("length", s.length())
        .bind("alphabet", s.alphabet())
        .bind("webhook", s.webhookUrl().orElse(null))
        .bind("timeout", s.timeout().toMillis())
        .bind("pg", s.postgresUrl().orElse(null))
        .bind("roles", s.postgresRoles().isEmpty() ? null : String.join(",", s.postgresRoles()))
        .bind("admin", s.postgresAdminSecret().orElse(null))
        .bind("by", s.requestedBy())
        .bind("at", s.updatedAt().toEpochMilli())
        .execute();
  }

  static Optional<RotationSettings> settings(Handle h, String secretId) {
    return h.createQuery("SELECT * FROM rotation_settings WHERE secret_id = :id")
        .bind("id", secretId)
        .map((rs, ctx) -> settings(rs))
        .findOne();
  }

  /** Settings whose schedule is due at {@code now}. */
  static List<RotationSettings> scheduleDue(Handle h, Instant now, int limit) {
    return h.createQuery(
            "SELECT * FROM rotation_settings WHERE next_due_at IS NOT NULL AND next_due_at <= :now"
                + " ORDER BY next_due_at LIMIT :limit")
        .bind("now", now.toEpochMilli())
        .bind("limit", limit)
        .map((rs, ctx) -> settings(rs))
        .list();
  }

  /**
   * Moves a schedule on from {@code from} to {@code next} (null: it never fires again), unless
   * another run already did.
   */
  static boolean advanceSchedule(Handle h, String secretId, Instant from, Instant next) {
    return h.createUpdate(
                "UPDATE rotation_settings SET next_due_at = :next"
                    + " WHERE secret_id = :id AND next_due_at = :from")
            .bind("id", secretId)
            .bind("from", from.toEpochMilli())
            .bind("next", next == null ? null : next.toEpochMilli())
            .execute()
        == 1;
  }

  private static RotationSettings settings(ResultSet rs) throws SQLException {
    String roles = rs.getString("pg_roles");
    return new RotationSettings(
        rs.getString("secret_id"),
        rs.getString("rotator"),
        Duration.ofMillis(rs.getLong("grace_ms")),
        Duration.ofMillis(rs.getLong("every_ms")),
        Optional.ofNullable(rs.getString("cron")),
        optInstant(rs, "next_due_at"),
        rs.getInt("length"),
        rs.getString("alphabet"),
        Optional.ofNullable(rs.getString("webhook_url")),
        Duration.ofMillis(rs.getLong("timeout_ms")),
        Optional.ofNullable(rs.getString("pg_url")),
        roles == null ? List.of() : Arrays.asList(roles.split(",")),
        Optional.ofNullable(rs.getString("pg_admin_secret")),
        rs.getString("requested_by"),
        Instant.ofEpochMilli(rs.getLong("updated_at")));
  }

  private static Optional<Integer> optInt(ResultSet rs, String col) throws SQLException {
    int v = rs.getInt(col);
    return rs.wasNull() ? Optional.empty() : Optional.of(v);
  }

  private static Optional<Instant> optInstant(ResultSet rs, String col) throws SQLException {
    long v = rs.getLong(col);
    return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(v));
  }
}
