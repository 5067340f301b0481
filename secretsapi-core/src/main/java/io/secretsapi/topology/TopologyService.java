package io.secretsapi.topology;

import static java.util.Objects.requireNonNull;

import io.secretsapi.ConflictException;
import io.secretsapi.Inputs;
import io.secretsapi.ValidationException;
import io.secretsapi.access.Caller;
import io.secretsapi.access.Scope;
import io.secretsapi.audit.AuditEntry;
import io.secretsapi.audit.AuditLog;
import io.secretsapi.incident.Incidents;
import io.secretsapi.proxy.ProxyPaths;
import io.secretsapi.storage.Database;
import io.secretsapi.storage.Sql;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;

/**
 * The resource topology (design 0028): each upstream host a scope of an active secret names, with
 * the secrets that reach it, its access rate per minute and its state, grouped in the trust zones
 * an operator assigns.
 *
 * <p>Where each part comes from: the reach from the scopes in the store; the state from the open
 * incidents this node enforces ({@link Incidents#containing}), the exposure state, the rotation
 * queue and the validations in the store; the rate from {@link AccessRates}, which counts the
 * records this node appends, so that it is this node's rate. Zones are read from the store on each
 * call and never cached, so that every node answers with the zones committed last. Thread-safe.
 */
public final class TopologyService {
  /** At most this many resources in one zone. */
  public static final int MAX_RESOURCES = 500;

  private final Database db;
  private final AuditLog audit;
  private final Clock clock;
  private final Incidents incidents;
  private final AccessRates rates;

  public TopologyService(Database db, AuditLog audit, Clock clock, Incidents incidents) {
    this.db = requireNonNull(db, "db");
    this.audit = requireNonNull(audit, "audit");
    this.clock = requireNonNull(clock, "clock");
    this.incidents = requireNonNull(incidents, "incidents");
    this.rates = new AccessRates(clock);
    audit.follow(rates);
  }

  /**
   * The topology as {@code caller} may see it: an administrator sees every resource and the
   * resources assigned to zones that no scope names yet; any other key only the resources its own
   * account's secrets reach, through those secrets. Needs {@code secrets:read}.
   */
  public Topology topology(Caller caller) {
    caller.require(Scope.SECRETS_READ);
    boolean admin = caller.has(Scope.ADMIN);
    Optional<String> account = admin ? Optional.empty() : Optional.of(caller.serviceAccountId());
    Facts f =
        db.read(
            h ->
                new Facts(
                    TopologyStore.reaches(h, account),
                    TopologyStore.exposed(h),
                    TopologyStore.rotating(h),
                    TopologyStore.validations(h, account),
                    TopologyStore.zones(h),
                    admin));
    rates.evict();
    Map<String, List<TopologyStore.Reach>> byHost = new TreeMap<>();
    for (TopologyStore.Reach r : f.reaches()) {
      for (String host : r.hosts()) {
        byHost.computeIfAbsent(host, k -> new ArrayList<>()).add(r);
      }
    }
    List<Topology.Zone> zones = new ArrayList<>();
    Set<String> placed = new HashSet<>();
    int nodes = 0;
    for (TrustZone z : f.zones()) {
      List<Resource> in = new ArrayList<>();
      for (String host : z.resources()) {
        List<TopologyStore.Reach> reach = byHost.get(host);
        if (reach == null && !admin) {
          continue; // a host none of the caller's secrets reaches is not the caller's to see
        }
        in.add(resource(host, reach == null ? List.of() : reach, f));
        placed.add(host);
      }
      nodes += in.size();
      zones.add(new Topology.Zone(z.name(), z.description(), in));
    }
    List<Resource> rest = new ArrayList<>();
    for (Map.Entry<String, List<TopologyStore.Reach>> e : byHost.entrySet()) {
      if (!placed.contains(e.getKey())) {
        rest.add(resource(e.getKey(), e.getValue(), f));
      }
    }
    nodes += rest.size();
    zones.add(
        new Topology.Zone(
            Topology.UNASSIGNED, "resources no operator has assigned to a trust zone", rest));
    return new Topology(zones, nodes);
  }

  /** What the state of every resource follows, read at once. */
  private record Facts(
      List<TopologyStore.Reach> reaches,
      Map<String, Double> exposed,
      Map<String, String> rotating,
      Map<String, TopologyStore.Checked> validations,
      List<TrustZone> zones,
      boolean everyAccount) {}

  private Resource resource(String host, List<TopologyStore.Reach> reach, Facts f) {
    Map<String, Resource.SecretRef> secrets = new LinkedHashMap<>();
    Set<String> classes = new TreeSet<>();
    // proxied calls are counted by host, whoever's secret served them: only a key that sees every
    // account reads them; any other key's rate is the grants of its own secrets
    long rate = f.everyAccount() ? rates.calls(host) : 0;
    for (TopologyStore.Reach r : reach) {
      rate += rates.grants(r.secretId(), r.scope());
      classes.add(r.resourceClass());
      Resource.SecretRef had = secrets.get(r.secretId());
      List<String> scopes = new ArrayList<>();
      if (had != null) {
        scopes.addAll(had.scopes());
      }
      scopes.add(r.scope());
      secrets.put(
          r.secretId(),
          new Resource.SecretRef(
              r.secretId(), r.secretName(), r.provider(), r.resourceClass(), scopes));
    }
    State s = state(secrets.keySet(), rate, f);
    return new Resource(
        host, List.copyOf(secrets.values()), List.copyOf(classes), rate, s.state(), s.reason());
  }

  private record State(ResourceState state, String reason) {}

  /** The first state that holds, in {@link ResourceState}'s order, and why. */
  private State state(Set<String> secrets, long rate, Facts f) {
    for (String id : secrets) {
      Optional<String> incident = incidents.containing(id);
      if (incident.isPresent()) {
        return new State(ResourceState.BLOCKED, "blocked by " + incident.get() + " on " + id);
      }
    }
    for (String id : secrets) {
      Double score = f.exposed().get(id);
      if (score != null) {
        return new State(
            ResourceState.EXPOSED,
            String.format(
                Locale.ROOT, "%s scores %.2f, at or above its exposure threshold", id, score));
      }
    }
    for (String id : secrets) {
      String rotation = f.rotating().get(id);
      if (rotation != null) {
        return new State(ResourceState.ROTATING, "rotation " + rotation + " of " + id);
      }
    }
    if (rate > 0) {
      return new State(ResourceState.ACTIVE, rate + " calls in the last minute on this node");
    }
    if (secrets.isEmpty()) {
      return new State(ResourceState.SCOPED, "no scope of an active secret names it");
    }
    int passed = 0;
    for (String id : secrets) {
      TopologyStore.Checked c = f.validations().get(id);
      if (c == null || !c.passed()) {
        return new State(
            ResourceState.SCOPED,
            c == null
                ? "named by a scope; " + id + " not validated"
                : "named by a scope; the latest validation of " + id + " failed");
      }
      passed++;
    }
    return new State(
        ResourceState.VERIFIED,
        passed == 1
            ? "the latest validation of its secret passed"
            : "the latest validations of its " + passed + " secrets passed");
  }

  // ---------------------------------------------------------------- trust zones

  /** Every trust zone, with the resources assigned to it. Needs {@code secrets:read}. */
  public List<TrustZone> zones(Caller caller) {
    caller.require(Scope.SECRETS_READ);
    return db.read(TopologyStore::zones);
  }

  /**
   * Makes {@code name} a trust zone holding exactly {@code resources}, creating it or replacing its
   * description and resources. A listed resource assigned to another zone moves here. Recorded as
   * {@code topology.zone_set}. Needs {@code policies:write}: zones are broker-wide, as policies
   * are.
   *
   * @throws ValidationException naming {@code name}, {@code description} or {@code resources[i]}
   */
  public TrustZone setZone(Caller caller, String name, String description, List<String> resources) {
    caller.require(Scope.POLICIES_WRITE);
    String zone = zoneName(name);
    String about = Inputs.text("description", description, 500);
    List<String> hosts = hosts(resources);
    TrustZone z = new TrustZone(zone, about, hosts, caller.principal(), clock.instant());
    return write(caller, h -> z);
  }

  /**
   * Adds {@code resource} to trust zone {@code name}, creating the zone when it does not exist; its
   * description is replaced only when {@code description} is not empty. The zone is read and
   * written in one transaction, so two assignments at once both land. A resource assigned to
   * another zone moves here. Recorded as {@code topology.zone_set}. Needs {@code policies:write}.
   *
   * @throws ValidationException naming {@code name}, {@code description} or {@code resources[0]}
   */
  public TrustZone assign(Caller caller, String name, String description, String resource) {
    caller.require(Scope.POLICIES_WRITE);
    String zone = zoneName(name);
    String about = Inputs.text("description", description == null ? "" : description, 500);
    String host = hosts(java.util.Arrays.asList(resource)).get(0);
    return write(
        caller,
        h -> {
          Optional<TrustZone> had =
              TopologyStore.zones(h).stream().filter(z -> z.name().equals(zone)).findFirst();
          List<String> all =
              new java.util.ArrayList<>(had.map(TrustZone::resources).orElse(List.of()));
          if (!all.contains(host)) {
            all.add(host);
          }
          return new TrustZone(
              zone,
              about.isEmpty() ? had.map(TrustZone::description).orElse("") : about,
              List.copyOf(all),
              caller.principal(),
              clock.instant());
        });
  }

  /** Writes the zone {@code next} makes on the transaction, with its record. */
  private TrustZone write(Caller caller, java.util.function.Function<Handle, TrustZone> next) {
    try {
      return db.inTransaction(
          h -> {
            TrustZone z = next.apply(h);
            Map<String, String> before = TopologyStore.zonesOf(h, z.resources());
            TopologyStore.put(h, z);
            audit.append(
                h,
                AuditEntry.of("topology.zone_set", caller.principal(), "done")
                    .reason(setReason(z, before))
                    .build());
            return z;
          });
    } catch (RuntimeException e) {
      if (Sql.isUniqueViolation(e)) {
        throw new ConflictException(
            "resources", "another request assigned one of these resources at the same time");
      }
      throw e;
    }
  }

  /**
   * Deletes a trust zone; its resources are unassigned. Recorded as {@code topology.zone_delete}.
   * Needs {@code policies:write}.
   *
   * @throws ZoneNotFoundException when no zone has that name
   */
  public void deleteZone(Caller caller, String name) {
    caller.require(Scope.POLICIES_WRITE);
    String zone = name == null || name.length() > 64 ? "(malformed name)" : name;
    db.inTransaction(
        h -> {
          int held = TopologyStore.delete(h, zone);
          if (held < 0) {
            throw new ZoneNotFoundException(zone);
          }
          return audit.append(
              h,
              AuditEntry.of("topology.zone_delete", caller.principal(), "done")
                  .reason("trust zone " + zone + " deleted · " + held + " resources unassigned")
                  .build());
        });
  }

  private static String zoneName(String name) {
    String n = Inputs.slug("name", name, 64);
    if (n.equals(Topology.UNASSIGNED)) {
      throw new ValidationException(
          "name", "reserved", "name unassigned is reserved for resources outside every zone");
    }
    return n;
  }

  /** Host names, lowercase, each once; refused naming the entry at fault. */
  private static List<String> hosts(List<String> resources) {
    if (resources == null) {
      throw new ValidationException("resources", "required", "resources is required");
    }
    if (resources.size() > MAX_RESOURCES) {
      throw new ValidationException(
          "resources", "max_items", "resources must hold at most " + MAX_RESOURCES + " hosts");
    }
    Set<String> seen = new java.util.LinkedHashSet<>();
    for (int i = 0; i < resources.size(); i++) {
      String field = "resources[" + i + "]";
      String r = resources.get(i);
      String h = r == null ? "" : r.strip().toLowerCase(Locale.ROOT);
      if (!ProxyPaths.isHost(h)) {
        throw new ValidationException(
            field,
            "host",
            field
                + " must be a host name such as api.openai.com, or four decimal octets, with an"
                + " optional port of 1 to 65535");
      }
      if (!seen.add(h)) {
        throw new ValidationException(field, "unique", "resources names " + h + " twice");
      }
    }
    return List.copyOf(seen);
  }

  private static String setReason(TrustZone z, Map<String, String> before) {
    StringBuilder b =
        new StringBuilder("trust zone ")
            .append(z.name())
            .append(" set · ")
            .append(z.resources().size())
            .append(" resources");
    List<String> shown = z.resources().subList(0, Math.min(10, z.resources().size()));
    if (!shown.isEmpty()) {
      b.append(": ").append(String.join(", ", shown));
      if (z.resources().size() > shown.size()) {
        b.append(" and ").append(z.resources().size() - shown.size()).append(" more");
      }
    }
    before.forEach(
        (resource, from) -> {
          if (!from.equals(z.name())) {
            b.append(" · ").append(resource).append(" moved from ").append(from);
          }
        });
    return b.toString();
  }

  /** Calls this node could not count, its bounds being full. */
  public long leftOut() {
    return rates.leftOut();
  }
}
