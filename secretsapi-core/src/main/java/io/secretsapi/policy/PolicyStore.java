package io.secretsapi.policy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** SQL for policy sets and their versions. */
final class PolicyStore {
  private PolicyStore() {}

  static Optional<Integer> currentVersion(Handle h, String id, boolean forUpdate) {
    return h.createQuery(
            "SELECT current_version FROM policies WHERE id = :id"
                + (forUpdate ? " FOR UPDATE" : ""))
        .bind("id", id)
        .mapTo(Integer.class)
        .findOne();
  }

  static void insertVersion(
      Handle h, String id, int version, String document, String by, Instant at) {
    if (version == 1) {
      h.createUpdate("INSERT INTO policies (id, current_version, updated_at) VALUES (:id, 1, :at)")
          .bind("id", id)
          .bind("at", at.toEpochMilli())
          .execute();
    } else {
      h.createUpdate("UPDATE policies SET current_version = :v, updated_at = :at WHERE id = :id")
          .bind("id", id)
          .bind("v", version)
          .bind("at", at.toEpochMilli())
          .execute();
    }
    h.createUpdate(
            "INSERT INTO policy_versions (policy_id, version, document, created_at, created_by)"
                + " VALUES (:id, :v, :doc, :at, :by)")
        .bind("id", id)
        .bind("v", version)
        .bind("doc", document)
        .bind("at", at.toEpochMilli())
        .bind("by", by)
        .execute();
  }

  static Optional<PolicyVersion> version(Handle h, String id, int version) {
    return h.createQuery(
            "SELECT policy_id, version, document, created_at, created_by FROM policy_versions"
                + " WHERE policy_id = :id AND version = :v")
        .bind("id", id)
        .bind("v", version)
        .map((rs, c) -> version(rs))
        .findOne();
  }

  static List<PolicyVersion> versions(Handle h, String id) {
    return h.createQuery(
            "SELECT policy_id, version, document, created_at, created_by FROM policy_versions"
                + " WHERE policy_id = :id ORDER BY version DESC")
        .bind("id", id)
        .map((rs, c) -> version(rs))
        .list();
  }

  static List<PolicyVersion> allCurrent(Handle h) {
    return h.createQuery(
            "SELECT v.policy_id, v.version, v.document, v.created_at, v.created_by FROM policies p"
                + " JOIN policy_versions v ON v.policy_id = p.id AND v.version = p.current_version ORDER BY p.id")
        .map((rs, c) -> version(rs))
        .list();
  }

  static String fingerprint(Handle h) {
    return String.join(
        ",",
        h.createQuery("SELECT id || ':' || current_version FROM policies ORDER BY id")
            .mapTo(String.class)
            .list());
  }

  private static PolicyVersion version(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new PolicyVersion(
        rs.getString(1),
        rs.getInt(2),
        rs.getString(3),
        Instant.ofEpochMilli(rs.getLong(4)),
        rs.getString(5));
  }
}
