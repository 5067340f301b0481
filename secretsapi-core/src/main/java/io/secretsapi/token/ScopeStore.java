package io.secretsapi.token;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import tools.jackson.databind.json.JsonMapper;

/** SQL for secret scopes. */
final class ScopeStore {
  static final JsonMapper JSON = JsonMapper.builder().build();

  private ScopeStore() {}

  static void insert(Handle h, SecretScope s) {
    h.createUpdate(
            "INSERT INTO secret_scopes (secret_id, name, operations, upstream, max_ttl_ms, max_uses,"
                + " max_amount, amount_field, created_at) VALUES (:sid, :name, :ops, :up, :ttl, :uses, :amt, :field, :at)")
        .bind("sid", s.secretId())
        .bind("name", s.name())
        .bind("ops", Operation.join(s.operations()))
        .bind("up", JSON.writeValueAsString(s.upstream().toMap()))
        .bind("ttl", s.maxTtl().toMillis())
        .bind("uses", s.maxUses().orElse(null))
        .bind("amt", s.maxAmount().map(BigDecimal::toPlainString).orElse(null))
        .bind("field", s.amountField().orElse(null))
        .bind("at", s.createdAt().toEpochMilli())
        .execute();
  }

  static Optional<SecretScope> find(Handle h, String secretId, String name) {
    return h.createQuery("SELECT * FROM secret_scopes WHERE secret_id = :sid AND name = :name")
        .bind("sid", secretId)
        .bind("name", name)
        .map((rs, c) -> scope(rs))
        .findOne();
  }

  static List<SecretScope> list(Handle h, String secretId) {
    return h.createQuery("SELECT * FROM secret_scopes WHERE secret_id = :sid ORDER BY name")
        .bind("sid", secretId)
        .map((rs, c) -> scope(rs))
        .list();
  }

  /** The service packages whose items name the scope (they keep it from being deleted). */
  static List<String> bundledBy(Handle h, String secretId, String name) {
    return h.createQuery(
            "SELECT package_id FROM package_items WHERE secret_id = :s AND scope = :n"
                + " ORDER BY package_id")
        .bind("s", secretId)
        .bind("n", name)
        .mapTo(String.class)
        .list();
  }

  static int delete(Handle h, String secretId, String name) {
    return h.createUpdate("DELETE FROM secret_scopes WHERE secret_id = :sid AND name = :name")
        .bind("sid", secretId)
        .bind("name", name)
        .execute();
  }

  @SuppressWarnings("unchecked")
  static Upstream upstream(String json) {
    Map<String, List<String>> m = JSON.readValue(json, Map.class);
    return new Upstream(m.get("hosts"), m.get("methods"), m.get("path_prefixes"));
  }

  private static SecretScope scope(ResultSet rs) throws SQLException {
    long uses = rs.getLong("max_uses");
    Optional<Long> maxUses = rs.wasNull() ? Optional.empty() : Optional.of(uses);
    return new SecretScope(
        rs.getString("secret_id"),
        rs.getString("name"),
        Operation.split(rs.getString("operations")),
        upstream(rs.getString("upstream")),
        Duration.ofMillis(rs.getLong("max_ttl_ms")),
        maxUses,
        Optional.ofNullable(rs.getString("max_amount")).map(BigDecimal::new),
        Optional.ofNullable(rs.getString("amount_field")),
        Instant.ofEpochMilli(rs.getLong("created_at")));
  }
}
