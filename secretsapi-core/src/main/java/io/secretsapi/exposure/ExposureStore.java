package io.secretsapi.exposure;

import io.secretsapi.storage.Jdbc;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** The exposure tables (V20): thresholds, whether each secret is above its threshold, history. */
final class ExposureStore {
  private ExposureStore() {}

  /** An update through Jdbi's binding, which takes the doubles {@link Jdbc} does not. */
  private static int update(Handle h, String sql, Object... args) {
    var u = h.createUpdate(sql);
    for (int i = 0; i < args.length; i++) {
      u.bind(i, args[i]);
    }
    return u.execute();
  }

  /** What scoring needs of a secret: its class, when its current value was set, its breadth. */
  record SecretInfo(
      String accountId,
      String resourceClass,
      long valueSetAt,
      Breadth.Value breadth,
      long loadedAt) {}

  static Optional<SecretInfo> secretInfo(Handle h, String secretId, long now) {
    Optional<String[]> s =
        Jdbc.first(
            h,
            "SELECT s.account_id, s.resource_class, v.created_at FROM secrets s JOIN secret_versions v ON"
                + " v.secret_id = s.id AND v.version = s.current_version WHERE s.id = ? AND s.status ="
                + " 'active'",
            rs -> new String[] {rs.getString(1), rs.getString(2), Long.toString(rs.getLong(3))},
            secretId);
    if (s.isEmpty()) {
      return Optional.empty();
    }
    Breadth.Value broadest = Breadth.Value.NONE;
    for (Breadth.Value b :
        h.createQuery(
                "SELECT operations, upstream, max_ttl_ms, max_uses FROM secret_scopes WHERE"
                    + " secret_id = :s")
            .bind("s", secretId)
            .map(
                (rs, ctx) -> {
                  long maxUses = rs.getLong(4);
                  Optional<Long> uses = rs.wasNull() ? Optional.empty() : Optional.of(maxUses);
                  return Breadth.of(rs.getString(1), rs.getString(2), rs.getLong(3), uses);
                })
            .list()) {
      if (b.value() > broadest.value()) {
        broadest = b;
      }
    }
    return Optional.of(
        new SecretInfo(s.get()[0], s.get()[1], Long.parseLong(s.get()[2]), broadest, now));
  }

  /** The breadth of each live token of {@code ids}, as it stands (uses left now). */
  static Map<String, Breadth.Value> tokenBreadths(Handle h, List<String> ids, long now) {
    Map<String, Breadth.Value> out = new java.util.HashMap<>();
    for (int i = 0; i < ids.size(); i += 500) {
      List<String> chunk = ids.subList(i, Math.min(ids.size(), i + 500));
      h.createQuery(
              "SELECT id, operations, upstream, expires_at, max_uses, uses FROM tokens WHERE"
                  + " status = 'active' AND expires_at > :now AND id IN (<ids>)")
          .bind("now", now)
          .bindList("ids", chunk)
          .map(
              (rs, ctx) -> {
                long maxUses = rs.getLong(5);
                Optional<Long> left =
                    rs.wasNull() ? Optional.empty() : Optional.of(maxUses - rs.getLong(6));
                return Map.entry(
                    rs.getString(1),
                    Breadth.of(rs.getString(2), rs.getString(3), rs.getLong(4) - now, left));
              })
          .forEach(e -> out.put(e.getKey(), e.getValue()));
    }
    return out;
  }

  static List<Threshold> thresholds(Handle h) {
    return h.createQuery(
            "SELECT target_kind, target, threshold, action FROM exposure_thresholds ORDER BY"
                + " target_kind, target")
        .map(
            (rs, ctx) ->
                new Threshold(rs.getString(1), rs.getString(2), rs.getDouble(3), rs.getString(4)))
        .list();
  }

  static void putThreshold(Handle h, Threshold t, long now) {
    update(
        h,
        "DELETE FROM exposure_thresholds WHERE target_kind = ? AND target = ?",
        t.targetKind(),
        t.target());
    update(
        h,
        "INSERT INTO exposure_thresholds (target_kind, target, threshold, action, updated_at)"
            + " VALUES (?, ?, ?, ?, ?)",
        t.targetKind(),
        t.target(),
        t.threshold(),
        t.action(),
        now);
  }

  /**
   * Marks {@code secretId} above its threshold if it was not: answers the crossing's number, or
   * empty when it already was (another node, or an earlier evaluation, crossed first).
   */
  static Optional<Long> markAbove(Handle h, String secretId, double score, long now) {
    update(
        h,
        "INSERT INTO exposure_state (secret_id, above, score, crossings, changed_at) VALUES (?, 0,"
            + " ?, 0, ?) ON CONFLICT (secret_id) DO NOTHING",
        secretId,
        score,
        now);
    int n =
        update(
            h,
            "UPDATE exposure_state SET above = 1, score = ?, crossings = crossings + 1,"
                + " changed_at = ? WHERE secret_id = ? AND above = 0",
            score,
            now,
            secretId);
    if (n == 0) {
      return Optional.empty();
    }
    return Jdbc.first(
        h,
        "SELECT crossings FROM exposure_state WHERE secret_id = ?",
        rs -> rs.getLong(1),
        secretId);
  }

  /** Re-arms {@code secretId}: its next rise to the threshold is a crossing again. */
  static void rearm(Handle h, String secretId, double score, long now) {
    update(
        h,
        "UPDATE exposure_state SET above = 0, score = ?, changed_at = ? WHERE secret_id = ? AND"
            + " above = 1",
        score,
        now,
        secretId);
  }

  static boolean isAbove(Handle h, String secretId) {
    return Jdbc.first(
            h,
            "SELECT above FROM exposure_state WHERE secret_id = ?",
            rs -> rs.getInt(1) == 1,
            secretId)
        .orElse(false);
  }

  static void addHistory(Handle h, Exposure e, String factorsJson, String node) {
    update(
        h,
        "INSERT INTO exposure_history (secret_id, recorded_at, score, delta, factors, node) VALUES"
            + " (?, ?, ?, ?, ?, ?)",
        e.id(),
        e.at().toEpochMilli(),
        e.score(),
        e.delta(),
        factorsJson,
        node);
  }

  /** One sample of a secret's history. */
  record Sample(Instant at, double score, double delta, String factors) {}

  static List<Sample> history(Handle h, String secretId, int limit) {
    return h.createQuery(
            "SELECT recorded_at, score, delta, factors FROM exposure_history WHERE secret_id = :s"
                + " ORDER BY recorded_at DESC LIMIT :n")
        .bind("s", secretId)
        .bind("n", limit)
        .map(
            (rs, ctx) ->
                new Sample(
                    Instant.ofEpochMilli(rs.getLong(1)),
                    rs.getDouble(2),
                    rs.getDouble(3),
                    rs.getString(4)))
        .list();
  }

  /** One event of the exposure replay: an {@code exposure.*} record of the secret's trail. */
  record ReplayRow(long offset, Instant at, String type, String reason) {}

  static List<ReplayRow> replay(Handle h, String secretId, int limit) {
    List<ReplayRow> out = new ArrayList<>();
    h.createQuery(
            "SELECT audit_offset, recorded_at, type, reason FROM audit_records WHERE secret_id = :s"
                + " AND type IN ('exposure.threshold', 'exposure.threshold_set') ORDER BY audit_offset DESC LIMIT :n")
        .bind("s", secretId)
        .bind("n", limit)
        .map(
            (rs, ctx) ->
                new ReplayRow(
                    rs.getLong(1),
                    Instant.ofEpochMilli(rs.getLong(2)),
                    rs.getString(3),
                    rs.getString(4)))
        .forEach(out::add);
    return out;
  }
}
