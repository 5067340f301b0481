package io.secretsapi.pkg;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** SQL for packages, their items, engines and bindings. */
final class PackageStore {
  private PackageStore() {}

  static void insertPackage(Handle h, ServicePackage p, String by) {
    h.createUpdate(
            "INSERT INTO service_packages (id, account_id, name, tier, review_lane, created_by,"
                + " created_at, updated_at) VALUES (:id, :a, :n, :t, :r, :by, :at, :at)")
        .bind("id", p.id())
        .bind("a", p.accountId())
        .bind("n", p.name())
        .bind("t", p.tier())
        .bind("r", p.reviewLane())
        .bind("by", by)
        .bind("at", p.createdAt().toEpochMilli())
        .execute();
    insertItems(h, p);
  }

  static void updatePackage(Handle h, ServicePackage p) {
    h.createUpdate(
            "UPDATE service_packages SET name = :n, tier = :t, review_lane = :r, updated_at = :at"
                + " WHERE id = :id")
        .bind("id", p.id())
        .bind("n", p.name())
        .bind("t", p.tier())
        .bind("r", p.reviewLane())
        .bind("at", p.updatedAt().toEpochMilli())
        .execute();
    h.createUpdate("DELETE FROM package_items WHERE package_id = :id").bind("id", p.id()).execute();
    insertItems(h, p);
  }

  private static void insertItems(Handle h, ServicePackage p) {
    for (ServicePackage.Item i : p.items()) {
      h.createUpdate(
              "INSERT INTO package_items (package_id, secret_id, scope) VALUES (:p, :s, :sc)")
          .bind("p", p.id())
          .bind("s", i.secretId())
          .bind("sc", i.scope())
          .execute();
    }
  }

  static void deletePackage(Handle h, String id) {
    h.createUpdate("DELETE FROM package_items WHERE package_id = :id").bind("id", id).execute();
    h.createUpdate("DELETE FROM service_packages WHERE id = :id").bind("id", id).execute();
  }

  static boolean nameTaken(Handle h, String accountId, String table, String name, String except) {
    return h.createQuery(
                "SELECT COUNT(*) FROM "
                    + table
                    + " WHERE account_id = :a AND name = :n AND id <> :id")
            .bind("a", accountId)
            .bind("n", name)
            .bind("id", except)
            .mapTo(Integer.class)
            .one()
        > 0;
  }

  static Optional<ServicePackage> findPackage(Handle h, String id) {
    return h.createQuery("SELECT * FROM service_packages WHERE id = :id")
        .bind("id", id)
        .map((rs, c) -> pkg(h, rs))
        .findOne();
  }

  static List<ServicePackage> packages(Handle h, Optional<String> accountId) {
    return h.createQuery(
            "SELECT * FROM service_packages WHERE (:all OR account_id = :a) ORDER BY name, id")
        .bind("all", accountId.isEmpty())
        .bind("a", accountId.orElse(""))
        .map((rs, c) -> pkg(h, rs))
        .list();
  }

  private static ServicePackage pkg(Handle h, ResultSet rs) throws SQLException {
    String id = rs.getString("id");
    return new ServicePackage(
        id,
        rs.getString("account_id"),
        rs.getString("name"),
        rs.getString("tier"),
        rs.getString("review_lane"),
        items(h, id),
        Instant.ofEpochMilli(rs.getLong("created_at")),
        Instant.ofEpochMilli(rs.getLong("updated_at")));
  }

  static List<ServicePackage.Item> items(Handle h, String packageId) {
    return h.createQuery(
            "SELECT secret_id, scope FROM package_items WHERE package_id = :p"
                + " ORDER BY secret_id, scope")
        .bind("p", packageId)
        .map((rs, c) -> new ServicePackage.Item(rs.getString(1), rs.getString(2)))
        .list();
  }

  static void insertEngine(Handle h, Engine e, String by) {
    h.createUpdate(
            "INSERT INTO engines (id, account_id, name, plan, placement, slots_used, slots_total,"
                + " frontend_state, admin_state, release, service_account_id, created_by,"
                + " created_at, webhook_id) VALUES (:id, :a, :n, :plan, :pl, :su, :st, :fe, :ad,"
                + " :rel, :sa, :by, :at, :w)")
        .bind("id", e.id())
        .bind("a", e.accountId())
        .bind("n", e.name())
        .bind("plan", e.plan())
        .bind("pl", e.placement())
        .bind("su", e.slotsUsed())
        .bind("st", e.slotsTotal())
        .bind("fe", e.frontendState())
        .bind("ad", e.adminState())
        .bind("rel", e.release())
        .bind("sa", e.serviceAccountId())
        .bind("by", by)
        .bind("at", e.createdAt().toEpochMilli())
        .bind("w", e.webhookId().orElse(null))
        .execute();
  }

  static Optional<Engine> findEngine(Handle h, String id) {
    return h.createQuery("SELECT * FROM engines WHERE id = :id")
        .bind("id", id)
        .map((rs, c) -> engine(h, rs))
        .findOne();
  }

  static List<Engine> engines(Handle h, Optional<String> accountId) {
    return h.createQuery("SELECT * FROM engines WHERE (:all OR account_id = :a) ORDER BY name, id")
        .bind("all", accountId.isEmpty())
        .bind("a", accountId.orElse(""))
        .map((rs, c) -> engine(h, rs))
        .list();
  }

  private static Engine engine(Handle h, ResultSet rs) throws SQLException {
    String id = rs.getString("id");
    return new Engine(
        id,
        rs.getString("account_id"),
        rs.getString("name"),
        rs.getString("plan"),
        rs.getString("placement"),
        rs.getInt("slots_used"),
        rs.getInt("slots_total"),
        rs.getString("frontend_state"),
        rs.getString("admin_state"),
        rs.getString("release"),
        rs.getString("service_account_id"),
        Instant.ofEpochMilli(rs.getLong("created_at")),
        bindings(h, id),
        Optional.ofNullable(rs.getString("webhook_id")));
  }

  static void setWebhook(Handle h, String engineId, Optional<String> webhookId) {
    h.createUpdate("UPDATE engines SET webhook_id = :w WHERE id = :id")
        .bind("id", engineId)
        .bind("w", webhookId.orElse(null))
        .execute();
  }

  /** The account of a webhook, when it exists. */
  static Optional<String> webhookAccount(Handle h, String webhookId) {
    return h.createQuery("SELECT account_id FROM webhooks WHERE id = :id")
        .bind("id", webhookId)
        .mapTo(String.class)
        .findOne();
  }

  /**
   * The packages that bundle a secret and the engines those packages are bound to (bindings whose
   * policy is written), each sorted: what a record of the secret's lifecycle names.
   */
  static java.util.Map<String, List<String>> serving(Handle h, String secretId) {
    java.util.SortedSet<String> packages = new java.util.TreeSet<>();
    java.util.SortedSet<String> engines = new java.util.TreeSet<>();
    h.createQuery(
            "SELECT DISTINCT i.package_id, b.engine_id FROM package_items i LEFT JOIN"
                + " engine_bindings b ON b.package_id = i.package_id AND b.policy_version > 0"
                + " WHERE i.secret_id = :s")
        .bind("s", secretId)
        .map(
            (rs, c) -> {
              packages.add(rs.getString(1));
              String e = rs.getString(2);
              if (e != null) {
                engines.add(e);
              }
              return 0;
            })
        .list();
    if (packages.isEmpty()) {
      return java.util.Map.of();
    }
    return java.util.Map.of("packages", List.copyOf(packages), "engines", List.copyOf(engines));
  }

  static List<Engine.Binding> bindings(Handle h, String engineId) {
    return h.createQuery(
            "SELECT package_id, policy_id, policy_version, bound_at, bound_by FROM engine_bindings"
                + " WHERE engine_id = :e ORDER BY bound_at, package_id")
        .bind("e", engineId)
        .map(
            (rs, c) ->
                new Engine.Binding(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getInt(3),
                    Instant.ofEpochMilli(rs.getLong(4)),
                    rs.getString(5)))
        .list();
  }

  /** The engines a package is bound to. */
  static List<String> enginesOf(Handle h, String packageId) {
    return h.createQuery(
            "SELECT engine_id FROM engine_bindings WHERE package_id = :p ORDER BY engine_id")
        .bind("p", packageId)
        .mapTo(String.class)
        .list();
  }

  static void insertBinding(Handle h, String engineId, String packageId, Instant at, String by) {
    h.createUpdate(
            "INSERT INTO engine_bindings (engine_id, package_id, policy_id, policy_version,"
                + " bound_at, bound_by) VALUES (:e, :p, :pol, 0, :at, :by)")
        .bind("e", engineId)
        .bind("p", packageId)
        .bind("pol", PackageService.policyId(engineId))
        .bind("at", at.toEpochMilli())
        .bind("by", by)
        .execute();
  }

  static void setBindingVersion(Handle h, String engineId, String packageId, int version) {
    h.createUpdate(
            "UPDATE engine_bindings SET policy_version = :v WHERE engine_id = :e"
                + " AND package_id = :p")
        .bind("e", engineId)
        .bind("p", packageId)
        .bind("v", version)
        .execute();
  }

  static boolean deleteBinding(Handle h, String engineId, String packageId) {
    return h.createUpdate("DELETE FROM engine_bindings WHERE engine_id = :e AND package_id = :p")
            .bind("e", engineId)
            .bind("p", packageId)
            .execute()
        > 0;
  }

  /** The service account's name (its principal), when it exists and is not revoked. */
  /** A service account's name, revoked or not. */
  static Optional<String> accountName(Handle h, String accountId) {
    return h.createQuery("SELECT name FROM service_accounts WHERE id = :id")
        .bind("id", accountId)
        .mapTo(String.class)
        .findOne();
  }

  static Optional<String> activeAccountName(Handle h, String accountId) {
    return h.createQuery("SELECT name FROM service_accounts WHERE id = :id AND revoked_at IS NULL")
        .bind("id", accountId)
        .mapTo(String.class)
        .findOne();
  }

  /** The next rotation of a secret from its rotation settings, if it has a schedule. */
  static Optional<Instant> nextRotation(Handle h, String secretId) {
    return h.createQuery(
            "SELECT next_due_at FROM rotation_settings WHERE secret_id = :s"
                + " AND next_due_at IS NOT NULL")
        .bind("s", secretId)
        .map((rs, c) -> Instant.ofEpochMilli(rs.getLong(1)))
        .findOne();
  }
}
