package io.secretsapi.pkg;

import static java.util.Objects.requireNonNull;

import io.secretsapi.ConflictException;
import io.secretsapi.Ids;
import io.secretsapi.Inputs;
import io.secretsapi.ValidationException;
import io.secretsapi.access.Caller;
import io.secretsapi.access.Scope;
import io.secretsapi.audit.AuditEntry;
import io.secretsapi.audit.AuditLog;
import io.secretsapi.secret.Secret;
import io.secretsapi.secret.Vault;
import io.secretsapi.storage.Database;
import io.secretsapi.token.ScopeService;
import io.secretsapi.token.SecretScope;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * Service packages: create, read, replace and delete, each audited, with the readiness posture
 * computed on read. Reading needs {@code secrets:read}; writing needs {@code policies:write}, since
 * a package's items become policy rules once it is bound. A key sees the packages of its own
 * account; {@code admin} sees all. Bad input is refused naming the field, before anything is
 * written. Engines and bindings are in {@link EngineService}. Thread-safe.
 */
public final class PackageService {
  /** At most this many items in one package. */
  public static final int MAX_ITEMS = 50;

  private final Database db;
  private final Clock clock;
  private final AuditLog audit;
  private final Vault vault;
  private final ScopeService scopes;
  private EngineService engines;

  public PackageService(
      Database db, Clock clock, AuditLog audit, Vault vault, ScopeService scopes) {
    this.db = requireNonNull(db, "db");
    this.clock = requireNonNull(clock, "clock");
    this.audit = requireNonNull(audit, "audit");
    this.vault = requireNonNull(vault, "vault");
    this.scopes = requireNonNull(scopes, "scopes");
  }

  /** The engines whose policies follow a package's changes; set once by the broker. */
  public void follow(EngineService engines) {
    this.engines = requireNonNull(engines, "engines");
  }

  /** The policy set an engine's bindings write. */
  public static String policyId(String engineId) {
    return "engine-" + engineId;
  }

  /** Creates a package of the caller's account. */
  public ServicePackage create(Caller caller, NewPackage in, Optional<String> requestId) {
    caller.require(Scope.POLICIES_WRITE);
    Instant now = clock.instant();
    Checked c = check(caller, in);
    ServicePackage p =
        new ServicePackage(
            Ids.random("pkg_", 16),
            caller.serviceAccountId(),
            c.name,
            c.tier,
            c.reviewLane,
            c.items,
            now,
            now);
    db.inTransaction(
        h -> {
          if (PackageStore.nameTaken(h, p.accountId(), "service_packages", p.name(), p.id())) {
            throw new ConflictException("name", "a package named " + p.name() + " exists");
          }
          PackageStore.insertPackage(h, p, caller.principal());
          audit.append(h, entry("package.create", caller, p, "created", requestId));
          return null;
        });
    return db.read(h -> visible(h, caller, p.id()));
  }

  /**
   * Replaces a package's name, tier, review lane and items. The policies of the engines it is bound
   * to are rewritten, and their live grants of items it no longer bundles are revoked.
   */
  public ServicePackage replace(
      Caller caller, String id, NewPackage in, Optional<String> requestId) {
    caller.require(Scope.POLICIES_WRITE);
    ServicePackage before = db.read(h -> visible(h, caller, id));
    Checked c = check(caller, in);
    ServicePackage after =
        new ServicePackage(
            before.id(),
            before.accountId(),
            c.name,
            c.tier,
            c.reviewLane,
            c.items,
            before.createdAt(),
            clock.instant());
    // the package and its engines' policies commit together: a policy that cannot be written
    // leaves the package as it was
    List<EngineService.Plan> plans =
        db.inTransaction(
            h -> {
              if (PackageStore.nameTaken(h, after.accountId(), "service_packages", c.name, id)) {
                throw new ConflictException("name", "a package named " + c.name + " exists");
              }
              PackageStore.updatePackage(h, after);
              audit.append(h, entry("package.update", caller, after, "replaced", requestId));
              return engines == null
                  ? List.<EngineService.Plan>of()
                  : engines.packageChanged(h, caller, before, after);
            });
    if (engines != null) {
      engines.revoke(caller, plans, after.id(), requestId);
    }
    return db.read(h -> visible(h, caller, id));
  }

  /** Deletes a package that no engine binds. */
  public void delete(Caller caller, String id, Optional<String> requestId) {
    caller.require(Scope.POLICIES_WRITE);
    ServicePackage p = db.read(h -> visible(h, caller, id));
    db.inTransaction(
        h -> {
          List<String> bound = PackageStore.enginesOf(h, id);
          if (!bound.isEmpty()) {
            throw new ConflictException(
                "id",
                "package " + id + " is bound to " + String.join(", ", bound) + "; unbind it first");
          }
          PackageStore.deletePackage(h, id);
          audit.append(h, entry("package.delete", caller, p, "deleted", requestId));
          return null;
        });
  }

  /** One package of the caller's account. */
  public ServicePackage get(Caller caller, String id) {
    caller.require(Scope.SECRETS_READ);
    return db.read(h -> visible(h, caller, id));
  }

  /** The packages of the caller's account (all with {@code admin}), by name. */
  public List<ServicePackage> list(Caller caller) {
    caller.require(Scope.SECRETS_READ);
    Optional<String> only =
        caller.has(Scope.ADMIN) ? Optional.empty() : Optional.of(caller.serviceAccountId());
    return db.read(h -> PackageStore.packages(h, only));
  }

  /** The readiness of a package, computed now from its secrets. */
  public Posture posture(ServicePackage p) {
    return Readiness.posture(db, vault, clock.instant(), p);
  }

  /** The engines a package is bound to, by id. */
  public List<String> boundTo(ServicePackage p) {
    return db.read(h -> PackageStore.enginesOf(h, p.id()));
  }

  static ServicePackage visible(Handle h, Caller caller, String id) {
    if (!Ids.looksLike("pkg_", id)) {
      throw new PackageNotFoundException(
          String.valueOf(id).length() > 40 ? "(malformed id)" : String.valueOf(id));
    }
    return PackageStore.findPackage(h, id)
        .filter(p -> caller.owns(p.accountId()))
        .orElseThrow(() -> new PackageNotFoundException(id));
  }

  private record Checked(
      String name, String tier, String reviewLane, List<ServicePackage.Item> items) {}

  private Checked check(Caller caller, NewPackage in) {
    if (in == null) {
      throw new ValidationException("body", "required", "a JSON body is required");
    }
    String name = Inputs.text("name", Inputs.required("name", in.name(), 128), 128);
    String tier = Inputs.text("tier", in.tier(), 128);
    String lane = Inputs.text("review_lane", in.reviewLane(), 128);
    if (in.items() == null || in.items().isEmpty()) {
      throw new ValidationException("items", "required", "items must name at least one scope");
    }
    if (in.items().size() > MAX_ITEMS) {
      throw new ValidationException(
          "items", "max_items", "items must hold at most " + MAX_ITEMS + " entries");
    }
    Set<ServicePackage.Item> items = new LinkedHashSet<>();
    for (int i = 0; i < in.items().size(); i++) {
      NewPackage.ItemSpec spec = in.items().get(i);
      String f = "items[" + i + "]";
      if (spec == null) {
        throw new ValidationException(f, "required", f + " must be an object");
      }
      String secretId = Inputs.required(f + ".secret_id", spec.secretId(), 64);
      String scope = Inputs.slug(f + ".scope", spec.scope(), 64);
      Optional<Secret> s = vault.find(secretId).filter(x -> caller.owns(x.accountId()));
      if (s.isEmpty()) {
        throw new ValidationException(
            f + ".secret_id", "exists", f + ".secret_id names no secret of the caller's account");
      }
      boolean defined =
          scopes.list(caller, secretId).stream().map(SecretScope::name).anyMatch(scope::equals);
      if (!defined) {
        throw new ValidationException(
            f + ".scope", "exists", "secret " + secretId + " has no scope named " + scope);
      }
      if (!items.add(new ServicePackage.Item(secretId, scope))) {
        throw new ValidationException(
            f, "unique", f + " repeats " + secretId + " under scope " + scope);
      }
    }
    List<ServicePackage.Item> sorted = new ArrayList<>(items);
    sorted.sort(
        java.util.Comparator.comparing(ServicePackage.Item::secretId)
            .thenComparing(ServicePackage.Item::scope));
    return new Checked(name, tier, lane, List.copyOf(sorted));
  }

  private static AuditEntry entry(
      String type, Caller caller, ServicePackage p, String what, Optional<String> requestId) {
    return AuditEntry.of(type, caller.principal(), "done")
        .reason(
            "package "
                + p.id()
                + " "
                + what
                + " with "
                + p.items().size()
                + " items: "
                + String.join(
                    ", ", p.items().stream().map(i -> i.secretId() + "/" + i.scope()).toList()))
        .requestId(requestId.orElse(null))
        .build();
  }
}
