package io.secretsapi.secret;

import io.secretsapi.storage.Database;
import io.secretsapi.storage.Leadership;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Keeps the last validation of each secret and finds the ones due by schedule. */
public final class ValidationStore {
  private ValidationStore() {}

  /** Replaces the validation of {@code v.secretId()}, on {@code h}. */
  public static void save(Handle h, Validation v) {
    h.createUpdate("DELETE FROM secret_validations WHERE secret_id = :id")
        .bind("id", v.secretId())
        .execute();
    h.createUpdate(
            "INSERT INTO secret_validations (secret_id, status, reason, http_status, preset, url,"
                + " checked_at, every_ms, next_check_at, requested_by) VALUES (:id, :status, :reason,"
                + " :http, :preset, :url, :at, :every, :next, :by)")
        .bind("id", v.secretId())
        .bind("status", v.status())
        .bind("reason", v.reason())
        .bind("http", v.httpStatus().orElse(null))
        .bind("preset", v.preset())
        .bind("url", v.url().orElse(null))
        .bind("at", v.checkedAt().toEpochMilli())
        .bind("every", v.every().toMillis())
        .bind("next", v.nextCheckAt().map(Instant::toEpochMilli).orElse(null))
        .bind("by", v.requestedBy().orElse(null))
        .execute();
  }

  public static Optional<Validation> find(Database db, String secretId) {
    return db.read(
        h ->
            h.createQuery("SELECT * FROM secret_validations WHERE secret_id = :id")
                .bind("id", secretId)
                .map((rs, c) -> row(rs))
                .findOne());
  }

  /** Scheduled validations due at {@code now}, of active secrets. */
  public static List<Validation> due(Database db, Instant now, int limit) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT v.* FROM secret_validations v JOIN secrets s ON s.id = v.secret_id"
                        + " WHERE s.status = 'active' AND v.next_check_at IS NOT NULL"
                        + " AND v.next_check_at <= :now ORDER BY v.next_check_at LIMIT :n")
                .bind("now", now.toEpochMilli())
                .bind("n", limit)
                .map((rs, c) -> row(rs))
                .list());
  }

  /**
   * Takes a due validation for this node, as {@code leader}: moves its next check to {@code until}
   * if it is still the one {@code due} read, and says whether it did. Of several nodes (or threads)
   * that read the same due row, exactly one succeeds, so the provider is probed once; the one that
   * did saves the probe's result with the real next check, and if it dies first, the row is due
   * again at {@code until}. The claim passes the leader's fence: a node whose term has ended takes
   * nothing, and probes nothing.
   *
   * @throws io.secretsapi.storage.NotLeaderException when this node does not lead
   */
  public static boolean claim(Database db, Leadership leader, Validation due, Instant until) {
    Instant seen = due.nextCheckAt().orElseThrow(() -> new IllegalArgumentException("not due"));
    return db.inTransaction(
            h -> {
              leader.fence(h);
              return h.createUpdate(
                      "UPDATE secret_validations SET next_check_at = :until"
                          + " WHERE secret_id = :id AND next_check_at = :seen")
                  .bind("until", until.toEpochMilli())
                  .bind("id", due.secretId())
                  .bind("seen", seen.toEpochMilli())
                  .execute();
            })
        == 1;
  }

  private static Validation row(ResultSet rs) throws SQLException {
    long next = rs.getLong("next_check_at");
    boolean hasNext = !rs.wasNull();
    // read as a primitive: SQLite's driver refuses getObject(..., Integer.class) on a NULL
    int status = rs.getInt("http_status");
    Optional<Integer> http = rs.wasNull() ? Optional.empty() : Optional.of(status);
    return new Validation(
        rs.getString("secret_id"),
        rs.getString("status"),
        rs.getString("reason"),
        http,
        rs.getString("preset"),
        Optional.ofNullable(rs.getString("url")),
        Instant.ofEpochMilli(rs.getLong("checked_at")),
        Duration.ofMillis(rs.getLong("every_ms")),
        hasNext ? Optional.of(Instant.ofEpochMilli(next)) : Optional.empty(),
        Optional.ofNullable(rs.getString("requested_by")));
  }
}
