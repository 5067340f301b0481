package io.secretsapi.secret;

import io.secretsapi.crypto.SealedValue;
import io.secretsapi.proxy.Injection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** SQL for secrets and their versions. Every method runs on the caller's handle. */
final class SecretStore {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
  static final String SECRET_COLUMNS =
      "s.id, s.account_id, s.name, s.provider, s.resource_class, s.environment, s.owner, s.tags,"
          + " s.kind, s.status, s.current_version, s.created_at, s.updated_at, s.last_accessed_at,"
          + " s.inject_in, s.inject_name, s.inject_template, s.validation_url, v.masked,"
          + " v.fingerprint";
  static final String SECRET_FROM =
      " FROM secrets s JOIN secret_versions v ON v.secret_id = s.id AND v.version = s.current_version";

  private SecretStore() {}

  static void insertSecret(Handle h, Secret s) {
    h.createUpdate(
            "INSERT INTO secrets (id, account_id, name, provider, resource_class, environment, owner,"
                + " tags, kind, status, current_version, created_at, updated_at, inject_in,"
                + " inject_name, inject_template)"
                + " VALUES (:id, :account, :name, :provider, :rc, :env, :owner, :tags, :kind, 'active',"
                + " :version, :at, :at, :in, :iname, :itemplate)")
        .bind("id", s.id())
        .bind("account", s.accountId())
        .bind("name", s.name())
        .bind("provider", s.provider())
        .bind("rc", s.resourceClass())
        .bind("env", s.environment())
        .bind("owner", s.owner())
        .bind("tags", JSON.writeValueAsString(s.tags()))
        .bind("kind", s.kind())
        .bind("version", s.currentVersion())
        .bind("at", s.createdAt().toEpochMilli())
        .bind("in", own(s.injection(), Injection::in))
        .bind("iname", own(s.injection(), Injection::name))
        .bind("itemplate", own(s.injection(), Injection::template))
        .execute();
  }

  /** Sets where the secret is injected: its own template, or (null) its provider's preset. */
  static void setInjection(Handle h, String secretId, Injection injection, Instant at) {
    h.createUpdate(
            "UPDATE secrets SET inject_in = :in, inject_name = :iname, inject_template = :itemplate,"
                + " updated_at = :at WHERE id = :id")
        .bind("id", secretId)
        .bind("in", own(injection, Injection::in))
        .bind("iname", own(injection, Injection::name))
        .bind("itemplate", own(injection, Injection::template))
        .bind("at", at.toEpochMilli())
        .execute();
  }

  static void setValidationUrl(Handle h, String secretId, Optional<String> url, Instant at) {
    h.createUpdate("UPDATE secrets SET validation_url = :url, updated_at = :at WHERE id = :id")
        .bind("id", secretId)
        .bind("url", url.orElse(null))
        .bind("at", at.toEpochMilli())
        .execute();
  }

  /** A part of the secret's own injection; null for none or a provider's preset. */
  private static String own(Injection i, java.util.function.Function<Injection, String> part) {
    return i == null || !i.source().equals("secret") ? null : part.apply(i);
  }

  static void insertVersion(
      Handle h,
      String secretId,
      int version,
      SealedValue sealed,
      String masked,
      String fingerprint,
      Instant at) {
    insertVersion(h, secretId, version, "current", sealed, masked, fingerprint, at);
  }

  static void insertVersion(
      Handle h,
      String secretId,
      int version,
      String state,
      SealedValue sealed,
      String masked,
      String fingerprint,
      Instant at) {
    h.createUpdate(
            "INSERT INTO secret_versions (secret_id, version, state, wrapped_key, ciphertext,"
                + " kek_key_id, masked, fingerprint, created_at)"
                + " VALUES (:id, :version, :state, :wrapped, :ct, :kek, :masked, :fp, :at)")
        .bind("state", state)
        .bind("id", secretId)
        .bind("version", version)
        .bind("wrapped", sealed.wrappedKey())
        .bind("ct", sealed.ciphertext())
        .bind("kek", sealed.kekKeyId())
        .bind("masked", masked)
        .bind("fp", fingerprint)
        .bind("at", at.toEpochMilli())
        .execute();
  }

  static Optional<Secret> find(Handle h, String id) {
    return h.createQuery("SELECT " + SECRET_COLUMNS + SECRET_FROM + " WHERE s.id = :id")
        .bind("id", id)
        .map((rs, ctx) -> secret(rs))
        .findOne();
  }

  /** Locks the secret row for the rest of the transaction (PostgreSQL; SQLite locks the file). */
  static Optional<Secret> findForUpdate(Handle h, String id, boolean postgres) {
    if (postgres) {
      h.createQuery("SELECT id FROM secrets WHERE id = :id FOR UPDATE")
          .bind("id", id)
          .mapTo(String.class)
          .findOne();
    }
    return find(h, id);
  }

  static List<SecretVersion> versions(Handle h, String secretId, Instant now) {
    return h.createQuery(
            "SELECT secret_id, version, state, masked, fingerprint, created_at, grace_until, sealed_at"
                + " FROM secret_versions WHERE secret_id = :id ORDER BY version DESC")
        .bind("id", secretId)
        .map((rs, ctx) -> version(rs, now))
        .list();
  }

  static Optional<SealedValue> sealedValue(Handle h, String secretId, int version, Instant now) {
    return h.createQuery(
            "SELECT wrapped_key, ciphertext, kek_key_id FROM secret_versions"
                + " WHERE secret_id = :id AND version = :version AND ciphertext IS NOT NULL"
                + " AND (state = 'current' OR (state = 'previous' AND grace_until > :now))")
        .bind("id", secretId)
        .bind("version", version)
        .bind("now", now.toEpochMilli())
        .map((rs, ctx) -> new SealedValue(rs.getBytes(1), rs.getBytes(2), rs.getLong(3)))
        .findOne();
  }

  static void setCurrent(Handle h, String secretId, int version, Instant at) {
    h.createUpdate("UPDATE secrets SET current_version = :v, updated_at = :at WHERE id = :id")
        .bind("id", secretId)
        .bind("v", version)
        .bind("at", at.toEpochMilli())
        .execute();
  }

  static void demote(Handle h, String secretId, int version, Instant graceUntil) {
    h.createUpdate(
            "UPDATE secret_versions SET state = 'previous', grace_until = :until"
                + " WHERE secret_id = :id AND version = :v")
        .bind("id", secretId)
        .bind("v", version)
        .bind("until", graceUntil.toEpochMilli())
        .execute();
  }

  /** Seals every version of the secret except {@code keep}: erases ciphertext and data key. */
  static int sealAllExcept(Handle h, String secretId, int keep, Instant at) {
    return h.createUpdate(
            "UPDATE secret_versions SET state = 'sealed', ciphertext = NULL, wrapped_key = NULL,"
                + " kek_key_id = NULL, sealed_at = :at"
                + " WHERE secret_id = :id AND version <> :keep AND state <> 'sealed'")
        .bind("id", secretId)
        .bind("keep", keep)
        .bind("at", at.toEpochMilli())
        .execute();
  }

  /** The highest version number of the secret, whatever its state. */
  static int maxVersion(Handle h, String secretId) {
    return h.createQuery("SELECT MAX(version) FROM secret_versions WHERE secret_id = :id")
        .bind("id", secretId)
        .mapTo(Integer.class)
        .findOne()
        .orElse(0);
  }

  static boolean isPending(Handle h, String secretId, int version) {
    return h.createQuery(
            "SELECT 1 FROM secret_versions WHERE secret_id = :id AND version = :v"
                + " AND state = 'pending' AND ciphertext IS NOT NULL")
        .bind("id", secretId)
        .bind("v", version)
        .mapTo(Integer.class)
        .findOne()
        .isPresent();
  }

  static void markCurrent(Handle h, String secretId, int version) {
    h.createUpdate(
            "UPDATE secret_versions SET state = 'current' WHERE secret_id = :id AND version = :v")
        .bind("id", secretId)
        .bind("v", version)
        .execute();
  }

  /** Seals every version of the secret except {@code keep} and {@code alsoKeep}. */
  static int sealAllExcept(Handle h, String secretId, int keep, int alsoKeep, Instant at) {
    return h.createUpdate(
            "UPDATE secret_versions SET state = 'sealed', ciphertext = NULL, wrapped_key = NULL,"
                + " kek_key_id = NULL, sealed_at = :at"
                + " WHERE secret_id = :id AND version <> :keep AND version <> :also"
                + " AND state <> 'sealed'")
        .bind("id", secretId)
        .bind("keep", keep)
        .bind("also", alsoKeep)
        .bind("at", at.toEpochMilli())
        .execute();
  }

  static int sealOne(Handle h, String secretId, int version, Instant at) {
    return h.createUpdate(
            "UPDATE secret_versions SET state = 'sealed', ciphertext = NULL, wrapped_key = NULL,"
                + " kek_key_id = NULL, sealed_at = :at"
                + " WHERE secret_id = :id AND version = :v AND state <> 'sealed'")
        .bind("id", secretId)
        .bind("v", version)
        .bind("at", at.toEpochMilli())
        .execute();
  }

  static Optional<SealedValue> sealedPending(Handle h, String secretId, int version) {
    return h.createQuery(
            "SELECT wrapped_key, ciphertext, kek_key_id FROM secret_versions"
                + " WHERE secret_id = :id AND version = :version AND ciphertext IS NOT NULL"
                + " AND state = 'pending'")
        .bind("id", secretId)
        .bind("version", version)
        .map((rs, ctx) -> new SealedValue(rs.getBytes(1), rs.getBytes(2), rs.getLong(3)))
        .findOne();
  }

  static void markSealed(Handle h, String secretId, Instant at) {
    h.createUpdate(
            "UPDATE secrets SET status = 'sealed', sealed_at = :at, updated_at = :at WHERE id = :id")
        .bind("id", secretId)
        .bind("at", at.toEpochMilli())
        .execute();
  }

  static int sealExpired(Handle h, Instant now) {
    return h.createUpdate(
            "UPDATE secret_versions SET state = 'sealed', ciphertext = NULL, wrapped_key = NULL,"
                + " kek_key_id = NULL, sealed_at = :now"
                + " WHERE state = 'previous' AND grace_until <= :now")
        .bind("now", now.toEpochMilli())
        .execute();
  }

  static void touch(Handle h, String secretId, Instant at) {
    h.createUpdate("UPDATE secrets SET last_accessed_at = :at WHERE id = :id")
        .bind("id", secretId)
        .bind("at", at.toEpochMilli())
        .execute();
  }

  /**
   * A key-encryption key id that wraps something in the store (a secret version, a vault key, a
   * signing key) and is not one of {@code held}; empty when {@code held} opens everything. The
   * versions' key ids are walked by index, one seek per distinct id (a handful, however many
   * versions), since every node asks this every few seconds; the other two tables are small.
   */
  static Optional<Long> kekIdNotIn(Handle h, List<Long> held) {
    long after = Long.MIN_VALUE;
    while (true) {
      Optional<Long> id =
          h.createQuery(
                  "SELECT kek_key_id FROM secret_versions WHERE kek_key_id > :after"
                      + " ORDER BY kek_key_id LIMIT 1")
              .bind("after", after)
              .mapTo(Long.class)
              .findFirst();
      if (id.isEmpty()) {
        break;
      }
      if (!held.contains(id.get())) {
        return id;
      }
      after = id.get();
    }
    return h.createQuery(
            "SELECT kek_key_id FROM vault_keys WHERE kek_key_id NOT IN (<held>)"
                + " UNION SELECT kek_key_id FROM signing_keys WHERE kek_key_id NOT IN (<held>)"
                + " LIMIT 1")
        .bindList("held", held)
        .mapTo(Long.class)
        .findFirst();
  }

  /** Up to {@code limit} versions wrapped by a key other than {@code primary}. */
  static List<WrappedRow> wrappedByOtherKeys(Handle h, long primary, int limit) {
    return h.createQuery(
            "SELECT secret_id, version, wrapped_key, ciphertext, kek_key_id FROM secret_versions"
                + " WHERE wrapped_key IS NOT NULL AND kek_key_id <> :primary LIMIT :limit")
        .bind("primary", primary)
        .bind("limit", limit)
        .map(
            (rs, ctx) ->
                new WrappedRow(
                    rs.getString(1),
                    rs.getInt(2),
                    new SealedValue(rs.getBytes(3), rs.getBytes(4), rs.getLong(5))))
        .list();
  }

  static boolean replaceWrapping(Handle h, WrappedRow row, SealedValue next) {
    return h.createUpdate(
                "UPDATE secret_versions SET wrapped_key = :wrapped, kek_key_id = :kek"
                    + " WHERE secret_id = :id AND version = :v AND kek_key_id = :old")
            .bind("wrapped", next.wrappedKey())
            .bind("kek", next.kekKeyId())
            .bind("id", row.secretId())
            .bind("v", row.version())
            .bind("old", row.sealed().kekKeyId())
            .execute()
        == 1;
  }

  static Optional<SealedValue> vaultKey(Handle h, String name) {
    return h.createQuery(
            "SELECT wrapped_key, ciphertext, kek_key_id FROM vault_keys WHERE name = :name")
        .bind("name", name)
        .map((rs, ctx) -> new SealedValue(rs.getBytes(1), rs.getBytes(2), rs.getLong(3)))
        .findOne();
  }

  static void insertVaultKeyIfAbsent(Handle h, String name, SealedValue sealed, Instant at) {
    h.createUpdate(
            "INSERT INTO vault_keys (name, wrapped_key, ciphertext, kek_key_id, created_at)"
                + " VALUES (:name, :wrapped, :ct, :kek, :at) ON CONFLICT (name) DO NOTHING")
        .bind("name", name)
        .bind("wrapped", sealed.wrappedKey())
        .bind("ct", sealed.ciphertext())
        .bind("kek", sealed.kekKeyId())
        .bind("at", at.toEpochMilli())
        .execute();
  }

  static List<String> vaultKeysWrappedByOtherKeys(Handle h, long primary) {
    return h.createQuery("SELECT name FROM vault_keys WHERE kek_key_id <> :primary")
        .bind("primary", primary)
        .mapTo(String.class)
        .list();
  }

  static void replaceVaultKeyWrapping(Handle h, String name, SealedValue next) {
    h.createUpdate(
            "UPDATE vault_keys SET wrapped_key = :wrapped, kek_key_id = :kek WHERE name = :name")
        .bind("wrapped", next.wrappedKey())
        .bind("kek", next.kekKeyId())
        .bind("name", name)
        .execute();
  }

  static Secret secret(ResultSet rs) throws SQLException {
    long last = rs.getLong("last_accessed_at");
    Optional<Instant> lastAccess =
        rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(last));
    return new Secret(
        rs.getString("id"),
        rs.getString("account_id"),
        rs.getString("name"),
        rs.getString("provider"),
        rs.getString("resource_class"),
        rs.getString("environment"),
        rs.getString("owner"),
        new ArrayList<>(JSON.readValue(rs.getString("tags"), STRINGS)),
        rs.getString("kind"),
        rs.getString("status"),
        rs.getInt("current_version"),
        rs.getString("masked"),
        rs.getString("fingerprint"),
        Injection.stored(
            rs.getString("inject_in"),
            rs.getString("inject_name"),
            rs.getString("inject_template"),
            rs.getString("provider")),
        Optional.ofNullable(rs.getString("validation_url")),
        Instant.ofEpochMilli(rs.getLong("created_at")),
        Instant.ofEpochMilli(rs.getLong("updated_at")),
        lastAccess);
  }

  private static SecretVersion version(ResultSet rs, Instant now) throws SQLException {
    long grace = rs.getLong("grace_until");
    Optional<Instant> graceUntil =
        rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(grace));
    long sealed = rs.getLong("sealed_at");
    Optional<Instant> sealedAt =
        rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(sealed));
    String state = rs.getString("state");
    if ("previous".equals(state) && graceUntil.map(g -> !g.isAfter(now)).orElse(false)) {
      state = "sealed";
      sealedAt = graceUntil;
    }
    return new SecretVersion(
        rs.getString("secret_id"),
        rs.getInt("version"),
        state,
        rs.getString("masked"),
        rs.getString("fingerprint"),
        Instant.ofEpochMilli(rs.getLong("created_at")),
        graceUntil,
        sealedAt);
  }

  record WrappedRow(String secretId, int version, SealedValue sealed) {}
}
