package io.secretsapi.access;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** SQL for service accounts and API keys. Every method runs on the caller's handle. */
final class AccessStore {
  private static final String KEY_COLUMNS =
      "id, service_account_id, name, scopes, status, created_at, expires_at, revoked_at,"
          + " last_used_at, use_count, replaces, replaced_by";

  private static final String ACCOUNTS =
      "SELECT id, name, description, created_at, revoked_at FROM service_accounts";

  private AccessStore() {}

  static void insertAccount(Handle h, ServiceAccount a, String createdBy) {
    h.createUpdate(
            "INSERT INTO service_accounts (id, name, description, created_at, created_by)"
                + " VALUES (:id, :name, :description, :created_at, :created_by)")
        .bind("id", a.id())
        .bind("name", a.name())
        .bind("description", a.description())
        .bind("created_at", a.createdAt().toEpochMilli())
        .bind("created_by", createdBy)
        .execute();
  }

  static long countAccounts(Handle h) {
    return h.createQuery("SELECT COUNT(*) FROM service_accounts").mapTo(Long.class).one();
  }

  static Optional<ServiceAccount> findAccount(Handle h, String id) {
    return findAccountBy(h, "id", id);
  }

  static Optional<ServiceAccount> findAccountByName(Handle h, String name) {
    return findAccountBy(h, "name", name);
  }

  /** The account whose {@code column} (id or name, both unique) is {@code value}. */
  private static Optional<ServiceAccount> findAccountBy(Handle h, String column, String value) {
    return h.createQuery(ACCOUNTS + " WHERE " + column + " = :v")
        .bind("v", value)
        .map((rs, ctx) -> account(rs))
        .findOne();
  }

  static List<ServiceAccount> listAccounts(Handle h, Optional<String> onlyId) {
    String sql = ACCOUNTS;
    if (onlyId.isPresent()) {
      sql += " WHERE id = :id";
    }
    var q = h.createQuery(sql + " ORDER BY created_at, id");
    onlyId.ifPresent(id -> q.bind("id", id));
    return q.map((rs, ctx) -> account(rs)).list();
  }

  static void insertKey(Handle h, ApiKey k, byte[] secretHash) {
    h.createUpdate(
            "INSERT INTO api_keys (id, service_account_id, name, secret_hash, scopes, status,"
                + " created_at, expires_at, use_count, replaces)"
                + " VALUES (:id, :account, :name, :hash, :scopes, 'active', :created_at,"
                + " :expires_at, 0, :replaces)")
        .bind("id", k.id())
        .bind("account", k.serviceAccountId())
        .bind("name", k.name())
        .bind("hash", secretHash)
        .bind("scopes", Scope.join(k.scopes()))
        .bind("created_at", k.createdAt().toEpochMilli())
        .bind("expires_at", k.expiresAt().map(Instant::toEpochMilli).orElse(null))
        .bind("replaces", k.replaces().orElse(null))
        .execute();
  }

  /** The stored hash and view of a key, read for authentication. */
  static Optional<StoredKey> findForAuth(Handle h, String id, Instant now) {
    return h.createQuery(
            "SELECT k.secret_hash, a.name AS account_name, "
                + KEY_COLUMNS.replaceAll("(^|, )([a-z_]+)", "$1k.$2")
                + " FROM api_keys k JOIN service_accounts a ON a.id = k.service_account_id"
                + " WHERE k.id = :id AND a.revoked_at IS NULL")
        .bind("id", id)
        .map(
            (rs, ctx) ->
                new StoredKey(
                    rs.getBytes("secret_hash"), rs.getString("account_name"), key(rs, now)))
        .findOne();
  }

  static Optional<ApiKey> findKey(Handle h, String id, Instant now) {
    return h.createQuery("SELECT " + KEY_COLUMNS + " FROM api_keys WHERE id = :id")
        .bind("id", id)
        .map((rs, ctx) -> key(rs, now))
        .findOne();
  }

  static List<ApiKey> listKeys(Handle h, Optional<String> accountId, Instant now) {
    String sql = "SELECT " + KEY_COLUMNS + " FROM api_keys";
    if (accountId.isPresent()) {
      sql += " WHERE service_account_id = :account";
    }
    var q = h.createQuery(sql + " ORDER BY created_at, id");
    accountId.ifPresent(a -> q.bind("account", a));
    return q.map((rs, ctx) -> key(rs, now)).list();
  }

  /** Revokes an active key; true when it was active until now. */
  static boolean revoke(Handle h, String id, Instant now) {
    return h.createUpdate(
                "UPDATE api_keys SET status = 'revoked', revoked_at = :now"
                    + " WHERE id = :id AND status = 'active'")
            .bind("id", id)
            .bind("now", now.toEpochMilli())
            .execute()
        == 1;
  }

  /** Marks an account revoked; true when it was active until now. */
  static boolean revokeAccount(Handle h, String id, Instant now) {
    return h.createUpdate(
                "UPDATE service_accounts SET revoked_at = :now WHERE id = :id"
                    + " AND revoked_at IS NULL")
            .bind("id", id)
            .bind("now", now.toEpochMilli())
            .execute()
        == 1;
  }

  /** The ids of an account's keys still marked active (some may have expired). */
  static List<String> activeKeyIds(Handle h, String accountId) {
    return h.createQuery(
            "SELECT id FROM api_keys WHERE service_account_id = :account AND status = 'active'"
                + " ORDER BY id")
        .bind("account", accountId)
        .mapTo(String.class)
        .list();
  }

  static void retireAfter(Handle h, String id, String replacedBy, Instant expiresAt) {
    h.createUpdate(
            "UPDATE api_keys SET replaced_by = :by,"
                + " expires_at = CASE WHEN expires_at IS NULL OR expires_at > :at THEN :at"
                + " ELSE expires_at END WHERE id = :id")
        .bind("id", id)
        .bind("by", replacedBy)
        .bind("at", expiresAt.toEpochMilli())
        .execute();
  }

  static void markReplaced(Handle h, String id, String replacedBy) {
    h.createUpdate("UPDATE api_keys SET replaced_by = :by WHERE id = :id")
        .bind("id", id)
        .bind("by", replacedBy)
        .execute();
  }

  static void addUsage(Handle h, String id, long uses, long lastUsedAt) {
    h.createUpdate(
            "UPDATE api_keys SET use_count = use_count + :uses,"
                + " last_used_at = CASE WHEN last_used_at IS NULL OR last_used_at < :at THEN :at"
                + " ELSE last_used_at END WHERE id = :id")
        .bind("id", id)
        .bind("uses", uses)
        .bind("at", lastUsedAt)
        .execute();
  }

  private static ServiceAccount account(ResultSet rs) throws SQLException {
    return new ServiceAccount(
        rs.getString("id"),
        rs.getString("name"),
        rs.getString("description"),
        Instant.ofEpochMilli(rs.getLong("created_at")),
        instant(rs, "revoked_at"));
  }

  private static ApiKey key(ResultSet rs, Instant now) throws SQLException {
    Optional<Instant> expires = instant(rs, "expires_at");
    Optional<Instant> revoked = instant(rs, "revoked_at");
    boolean active =
        "active".equals(rs.getString("status")) && expires.map(e -> e.isAfter(now)).orElse(true);
    if (revoked.isEmpty() && !active) {
      revoked = expires;
    }
    return new ApiKey(
        rs.getString("id"),
        rs.getString("service_account_id"),
        rs.getString("name"),
        Scope.split(rs.getString("scopes")),
        active ? "active" : "revoked",
        Instant.ofEpochMilli(rs.getLong("created_at")),
        expires,
        revoked,
        instant(rs, "last_used_at"),
        rs.getLong("use_count"),
        Optional.ofNullable(rs.getString("replaces")),
        Optional.ofNullable(rs.getString("replaced_by")));
  }

  private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(v));
  }

  record StoredKey(byte[] secretHash, String accountName, ApiKey key) {}
}
