package io.secretsapi.topology;

import io.secretsapi.rotation.RotationState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * SQL for trust zones, and the reads of the topology: which active secrets reach which hosts, and
 * the facts a resource's state follows (exposure above threshold, rotations making a value,
 * validations). Each read is one query over an indexed or per-secret table; none reads the trail.
 */
final class TopologyStore {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private TopologyStore() {}

  /** One scope of an active secret, with the hosts its upstream names. */
  record Reach(
      String secretId,
      String secretName,
      String provider,
      String resourceClass,
      String scope,
      List<String> hosts) {}

  /** The scopes of active secrets naming at least one host; of one account when given. */
  static List<Reach> reaches(Handle h, Optional<String> accountId) {
    String sql =
        "SELECT s.id, s.name, s.provider, s.resource_class, c.name AS scope, c.upstream"
            + " FROM secret_scopes c JOIN secrets s ON s.id = c.secret_id"
            + " WHERE s.status = 'active'"
            + (accountId.isPresent() ? " AND s.account_id = :a" : "")
            + " ORDER BY s.id, c.name";
    var q = h.createQuery(sql);
    accountId.ifPresent(a -> q.bind("a", a));
    return q
        .map(
            (rs, c) ->
                new Reach(
                    rs.getString("id"),
                    rs.getString("name"),
                    rs.getString("provider"),
                    rs.getString("resource_class"),
                    rs.getString("scope"),
                    hosts(rs.getString("upstream"))))
        .list()
        .stream()
        .filter(r -> !r.hosts().isEmpty())
        .toList();
  }

  private static List<String> hosts(String upstream) {
    JsonNode hosts = JSON.readTree(upstream).get("hosts");
    List<String> out = new ArrayList<>();
    if (hosts != null) {
      hosts.forEach(x -> out.add(x.asString()));
    }
    return out;
  }

  /** Secrets whose exposure score is at or above their threshold, with the score. */
  static Map<String, Double> exposed(Handle h) {
    Map<String, Double> m = new HashMap<>();
    h.createQuery("SELECT secret_id, score FROM exposure_state WHERE above = 1")
        .map((rs, c) -> Map.entry(rs.getString(1), rs.getDouble(2)))
        .forEach(e -> m.put(e.getKey(), e.getValue()));
    return m;
  }

  /** Rotations still making a value ({@link RotationState#inFlight}), by secret: id and state. */
  static Map<String, String> rotating(Handle h) {
    List<String> states =
        Stream.of(RotationState.values())
            .filter(RotationState::inFlight)
            .map(RotationState::wire)
            .toList();
    Map<String, String> m = new HashMap<>();
    h.createQuery("SELECT id, secret_id, state FROM rotations WHERE state IN (<states>)")
        .bindList("states", states)
        .map((rs, c) -> List.of(rs.getString(2), rs.getString(1) + " " + rs.getString(3)))
        .forEach(r -> m.put(r.get(0), r.get(1)));
    return m;
  }

  /** The latest validation of a secret: whether it passed, and when it ran. */
  record Checked(boolean passed, Instant at) {}

  /** The latest validation of each active secret (of one account when given). */
  static Map<String, Checked> validations(Handle h, Optional<String> accountId) {
    String sql =
        "SELECT v.secret_id, v.status, v.checked_at FROM secret_validations v"
            + " JOIN secrets s ON s.id = v.secret_id WHERE s.status = 'active'"
            + (accountId.isPresent() ? " AND s.account_id = :a" : "");
    var q = h.createQuery(sql);
    accountId.ifPresent(a -> q.bind("a", a));
    Map<String, Checked> m = new HashMap<>();
    q.map(
            (rs, c) ->
                Map.entry(
                    rs.getString(1),
                    new Checked(
                        !io.secretsapi.secret.Validation.FAILED.equals(rs.getString(2)),
                        Instant.ofEpochMilli(rs.getLong(3)))))
        .forEach(e -> m.put(e.getKey(), e.getValue()));
    return m;
  }

  // ---------------------------------------------------------------- trust zones

  /** Every zone with its resources, by name. */
  static List<TrustZone> zones(Handle h) {
    Map<String, List<String>> members = new HashMap<>();
    h.createQuery("SELECT zone, resource FROM topology_zone_resources ORDER BY zone, resource")
        .map((rs, c) -> Map.entry(rs.getString(1), rs.getString(2)))
        .forEach(
            e -> members.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
    return h.createQuery(
            "SELECT name, description, updated_by, updated_at FROM topology_zones ORDER BY name")
        .map(
            (rs, c) ->
                new TrustZone(
                    rs.getString(1),
                    rs.getString(2),
                    members.getOrDefault(rs.getString(1), List.of()),
                    rs.getString(3),
                    Instant.ofEpochMilli(rs.getLong(4))))
        .list();
  }

  static boolean exists(Handle h, String name) {
    return h.createQuery("SELECT COUNT(*) FROM topology_zones WHERE name = :n")
            .bind("n", name)
            .mapTo(Integer.class)
            .one()
        > 0;
  }

  /** Where each of {@code resources} is assigned now, when it is. */
  static Map<String, String> zonesOf(Handle h, List<String> resources) {
    if (resources.isEmpty()) {
      return Map.of();
    }
    return h
        .createQuery("SELECT resource, zone FROM topology_zone_resources WHERE resource IN (<r>)")
        .bindList("r", resources)
        .map((rs, c) -> Map.entry(rs.getString(1), rs.getString(2)))
        .list()
        .stream()
        .collect(
            Collectors.toMap(
                Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
  }

  /** Makes {@code z} the zone of its name: description, and exactly its resources. */
  static void put(Handle h, TrustZone z) {
    int updated =
        h.createUpdate(
                "UPDATE topology_zones SET description = :d, updated_by = :b, updated_at = :t"
                    + " WHERE name = :n")
            .bind("d", z.description())
            .bind("b", z.updatedBy())
            .bind("t", z.updatedAt().toEpochMilli())
            .bind("n", z.name())
            .execute();
    if (updated == 0) {
      h.createUpdate(
              "INSERT INTO topology_zones (name, description, updated_by, updated_at)"
                  + " VALUES (:n, :d, :b, :t)")
          .bind("n", z.name())
          .bind("d", z.description())
          .bind("b", z.updatedBy())
          .bind("t", z.updatedAt().toEpochMilli())
          .execute();
    }
    h.createUpdate("DELETE FROM topology_zone_resources WHERE zone = :n")
        .bind("n", z.name())
        .execute();
    if (!z.resources().isEmpty()) {
      h.createUpdate("DELETE FROM topology_zone_resources WHERE resource IN (<r>)")
          .bindList("r", z.resources())
          .execute();
    }
    for (String r : z.resources()) {
      h.createUpdate(
              "INSERT INTO topology_zone_resources (resource, zone, assigned_at)"
                  + " VALUES (:r, :n, :t)")
          .bind("r", r)
          .bind("n", z.name())
          .bind("t", z.updatedAt().toEpochMilli())
          .execute();
    }
  }

  /** Deletes a zone; answers how many resources it held (now unassigned), or -1 when none. */
  static int delete(Handle h, String name) {
    int held =
        h.createUpdate("DELETE FROM topology_zone_resources WHERE zone = :n")
            .bind("n", name)
            .execute();
    int gone =
        h.createUpdate("DELETE FROM topology_zones WHERE name = :n").bind("n", name).execute();
    return gone == 0 ? -1 : held;
  }
}
