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
import io.secretsapi.policy.PolicyService;
import io.secretsapi.policy.PolicyVersion;
import io.secretsapi.secret.Vault;
import io.secretsapi.storage.Database;
import io.secretsapi.token.Grant;
import io.secretsapi.token.Operation;
import io.secretsapi.token.RevokeRequest;
import io.secretsapi.token.ScopeService;
import io.secretsapi.token.SecretScope;
import io.secretsapi.token.TokenService;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * Engines and their package bindings. Binding is the provisioning step: the engine's principals
 * (its service account's) get exactly the bound packages' scopes through the generated policy set
 * {@code engine-<id>} ({@link BindingPolicy}), a new version at each bind and unbind, diffable with
 * the policy diff; unbinding writes a version without the package and revokes every live grant the
 * engine's principals hold under a scope no other bound package gives.
 *
 * <p>Order of writes (design 0031): the policy service writes in its own transaction, so a bind
 * writes its binding row (audited) first and the policy second, and deletes the row again when the
 * policy write fails; the binding grants nothing until its policy version is written (the row's
 * {@code policy_version} is 0 until then). An unbind writes the policy first, then revokes the
 * grants, then deletes the row (audited): a failure half-way leaves the row, and unbinding again
 * finishes the job. Reading needs {@code secrets:read}; writing needs {@code policies:write}.
 * Thread-safe.
 */
public final class EngineService {
  private final Database db;
  private final Clock clock;
  private final AuditLog audit;
  private final Vault vault;
  private final PolicyService policies;
  private final TokenService tokens;

  public EngineService(
      Database db,
      Clock clock,
      AuditLog audit,
      Vault vault,
      PolicyService policies,
      TokenService tokens) {
    this.db = requireNonNull(db, "db");
    this.clock = requireNonNull(clock, "clock");
    this.audit = requireNonNull(audit, "audit");
    this.vault = requireNonNull(vault, "vault");
    this.policies = requireNonNull(policies, "policies");
    this.tokens = requireNonNull(tokens, "tokens");
  }

  /** Creates an engine of the caller's account. */
  public Engine create(Caller caller, NewEngine in, Optional<String> requestId) {
    caller.require(Scope.POLICIES_WRITE);
    if (in == null) {
      throw new ValidationException("body", "required", "a JSON body is required");
    }
    String name = Inputs.text("name", Inputs.required("name", in.name(), 128), 128);
    String plan = Inputs.text("plan", in.plan(), 128);
    String placement = Inputs.text("placement", in.placement(), 128);
    int used = in.slotsUsed() == null ? 0 : in.slotsUsed();
    int total = in.slotsTotal() == null ? 0 : in.slotsTotal();
    if (total < 0 || total > 10_000) {
      throw new ValidationException(
          "slots_total", "range", "slots_total must be between 0 and 10000");
    }
    if (used < 0 || used > total) {
      throw new ValidationException(
          "slots_used", "range", "slots_used must be between 0 and slots_total (" + total + ")");
    }
    String frontend = Inputs.text("frontend_state", in.frontendState(), 64);
    String admin = Inputs.text("admin_state", in.adminState(), 64);
    String release = Inputs.text("release", in.release(), 128);
    String sa = Inputs.required("service_account_id", in.serviceAccountId(), 64);
    Engine e =
        new Engine(
            Ids.random("eng_", 16),
            caller.serviceAccountId(),
            name,
            plan,
            placement.isEmpty() ? "Pending placement" : placement,
            used,
            total,
            frontend,
            admin,
            release,
            sa,
            clock.instant(),
            List.of(),
            webhookId(in.webhookId()));
    db.inTransaction(
        h -> {
          // the caller's own account, or any with keys:admin: the accounts it may list
          boolean mayName = caller.has(Scope.KEYS_ADMIN) || sa.equals(caller.serviceAccountId());
          if (!mayName || PackageStore.activeAccountName(h, sa).isEmpty()) {
            throw new ValidationException(
                "service_account_id",
                "exists",
                "service_account_id names no active service account the caller may see");
          }
          checkWebhook(h, e.accountId(), e.webhookId());
          if (PackageStore.nameTaken(h, e.accountId(), "engines", name, e.id())) {
            throw new ConflictException("name", "an engine named " + name + " exists");
          }
          PackageStore.insertEngine(h, e, caller.principal());
          audit.append(
              h,
              AuditEntry.of("engine.create", caller.principal(), "done")
                  .reason(
                      "engine "
                          + e.id()
                          + " created for service account "
                          + sa
                          + e.webhookId().map(w -> ", notifying webhook " + w).orElse(""))
                  .requestId(requestId.orElse(null))
                  .build());
          return null;
        });
    return db.read(h -> visible(h, caller, e.id()));
  }

  /**
   * Sets the webhook the engine's rotations are delivered to ({@code webhookId} a webhook of the
   * engine's account), or clears it when {@code webhookId} is empty.
   */
  public Engine setWebhook(
      Caller caller, String engineId, String webhookId, Optional<String> requestId) {
    caller.require(Scope.POLICIES_WRITE);
    if (webhookId == null) {
      throw new ValidationException(
          "webhook_id", "required", "webhook_id is required (empty to clear it)");
    }
    Optional<String> w = webhookId(webhookId);
    db.inTransaction(
        h -> {
          Engine e = visible(h, caller, engineId);
          checkWebhook(h, e.accountId(), w);
          PackageStore.setWebhook(h, e.id(), w);
          audit.append(
              h,
              AuditEntry.of("engine.update", caller.principal(), "done")
                  .reason(
                      "engine "
                          + e.id()
                          + w.map(x -> " notifies webhook " + x).orElse(" notifies no webhook"))
                  .requestId(requestId.orElse(null))
                  .build());
          return null;
        });
    return db.read(h -> visible(h, caller, engineId));
  }

  /**
   * The ids of the packages bundling {@code secretId} and of the engines bound to them, read on
   * {@code h}: what the audit trail names on a record of the secret's rotation or validation
   * ({@link AuditLog#serving}).
   */
  public static Map<String, List<String>> serving(Handle h, String secretId) {
    return PackageStore.serving(h, secretId);
  }

  private static Optional<String> webhookId(String given) {
    if (given == null || given.isEmpty()) {
      return Optional.empty();
    }
    if (!Ids.looksLike("whk_", given)) {
      throw new ValidationException(
          "webhook_id", "exists", "webhook_id names no webhook of the engine's account");
    }
    return Optional.of(given);
  }

  private static void checkWebhook(Handle h, String accountId, Optional<String> webhookId) {
    if (webhookId.isPresent()
        && !PackageStore.webhookAccount(h, webhookId.get()).filter(accountId::equals).isPresent()) {
      throw new ValidationException(
          "webhook_id", "exists", "webhook_id names no webhook of the engine's account");
    }
  }

  /** One engine of the caller's account, with its bindings. */
  public Engine get(Caller caller, String id) {
    caller.require(Scope.SECRETS_READ);
    return db.read(h -> visible(h, caller, id));
  }

  /** The engines of the caller's account (all with {@code admin}), by name. */
  public List<Engine> list(Caller caller) {
    caller.require(Scope.SECRETS_READ);
    Optional<String> only =
        caller.has(Scope.ADMIN) ? Optional.empty() : Optional.of(caller.serviceAccountId());
    return db.read(h -> PackageStore.engines(h, only));
  }

  /** The engine's credential vault: masked values and fingerprints only. */
  public List<Credential> credentials(Caller caller, String id) {
    Engine e = get(caller, id);
    return Readiness.credentials(db, vault, clock.instant(), boundItems(e.id()));
  }

  /**
   * Binds a package to an engine: the engine's principals may issue its scopes from now on. The
   * binding, the policy generated from every binding of the engine as the transaction reads them,
   * and the record commit together or not at all, so that binds and unbinds at once each see the
   * other (design 0031).
   */
  public Engine bind(Caller caller, String engineId, String packageId, Optional<String> requestId) {
    caller.require(Scope.POLICIES_WRITE);
    String pid = Inputs.required("package_id", packageId, 64);
    Instant now = clock.instant();
    String eid =
        db.inTransaction(
            h -> {
              Engine e = visible(h, caller, engineId);
              ServicePackage p =
                  PackageStore.findPackage(h, pid)
                      .filter(x -> Ids.looksLike("pkg_", pid) && caller.owns(x.accountId()))
                      .orElseThrow(
                          () ->
                              new ValidationException(
                                  "package_id",
                                  "exists",
                                  "package_id names no package of the caller's account"));
              String principal =
                  PackageStore.activeAccountName(h, e.serviceAccountId())
                      .orElseThrow(() -> revoked(e));
              Optional<Engine.Binding> had =
                  PackageStore.bindings(h, e.id()).stream()
                      .filter(b -> b.packageId().equals(p.id()))
                      .findFirst();
              if (had.isPresent()) {
                throw new ConflictException(
                    "package_id",
                    had.get().policyVersion() == UNBINDING
                        ? "package "
                            + p.id()
                            + " is being unbound from engine "
                            + e.id()
                            + "; unbind it again to finish"
                        : "package " + p.id() + " is already bound to engine " + e.id());
              }
              PackageStore.insertBinding(h, e.id(), p.id(), now, caller.principal());
              PolicyVersion v = writePolicy(h, caller, e, principal, boundItems(h, e.id()));
              PackageStore.setBindingVersion(h, e.id(), p.id(), v.version());
              audit.append(
                  h,
                  AuditEntry.of("engine.bind", caller.principal(), "done")
                      .subject(principal)
                      .reason(
                          "package "
                              + p.id()
                              + " bound to engine "
                              + e.id()
                              + ": its principal "
                              + principal
                              + " may issue "
                              + scopesOf(p.items()))
                      .requestId(requestId.orElse(null))
                      .build());
              return e.id();
            });
    policies.refresh();
    return db.read(h -> visible(h, caller, eid));
  }

  /**
   * Unbinds a package. First the binding is marked as being unbound and the engine's policy is
   * written without it (one transaction: from then on nothing new is issued through it, and a token
   * decided under the old version is not minted), then every live grant of its items that no other
   * bound package gives is revoked, then the binding is deleted with its record. A failure half-way
   * leaves the binding marked: unbinding it again finishes the job. An engine whose service account
   * is revoked can be unbound.
   */
  public Engine unbind(
      Caller caller, String engineId, String packageId, Optional<String> requestId) {
    caller.require(Scope.POLICIES_WRITE);
    Plan plan =
        db.inTransaction(
            h -> {
              Engine e = visible(h, caller, engineId);
              if (e.bindings().stream().noneMatch(b -> b.packageId().equals(packageId))) {
                throw new io.secretsapi.NotFoundException(
                    "binding of package",
                    Ids.looksLike("pkg_", packageId) ? packageId : "(malformed id)");
              }
              String principal = anyPrincipal(h, e);
              Map<String, List<ServicePackage.Item>> before = new LinkedHashMap<>();
              for (Engine.Binding b : e.bindings()) {
                before.put(b.packageId(), PackageStore.items(h, b.packageId()));
              }
              PackageStore.setBindingVersion(h, e.id(), packageId, UNBINDING);
              Map<String, List<ServicePackage.Item>> after = boundItems(h, e.id());
              writePolicy(h, caller, e, principal, after);
              return new Plan(e, principal, items(before), items(after));
            });
    policies.refresh();
    Engine e = plan.engine();
    int revoked =
        revokeDropped(
            caller,
            e,
            plan.principal(),
            plan.before(),
            plan.after(),
            "unbinding of package " + packageId,
            requestId);
    db.inTransaction(
        h -> {
          PackageStore.deleteBinding(h, e.id(), packageId);
          audit.append(
              h,
              AuditEntry.of("engine.unbind", caller.principal(), "done")
                  .subject(plan.principal())
                  .reason(
                      "package "
                          + packageId
                          + " unbound from engine "
                          + e.id()
                          + "; "
                          + revoked
                          + " live grants revoked")
                  .requestId(requestId.orElse(null))
                  .build());
          return null;
        });
    return db.read(h -> visible(h, caller, e.id()));
  }

  /** What an unbinding or a package's replacement revokes once its policy is committed. */
  record Plan(
      Engine engine,
      String principal,
      Set<ServicePackage.Item> before,
      Set<ServicePackage.Item> after) {}

  /**
   * Rewrites, on the replacing transaction {@code h}, the policies of the engines a replaced
   * package is bound to; what each then revokes ({@link #revoke}) once the transaction commits. A
   * policy that cannot be written fails the whole replacement: the package stays as it was.
   */
  List<Plan> packageChanged(Handle h, Caller caller, ServicePackage before, ServicePackage after) {
    List<Plan> plans = new ArrayList<>();
    for (String engineId : PackageStore.enginesOf(h, after.id())) {
      Engine e = PackageStore.findEngine(h, engineId).orElseThrow();
      String principal = anyPrincipal(h, e);
      Map<String, List<ServicePackage.Item>> now = boundItems(h, e.id());
      Map<String, List<ServicePackage.Item>> was = new LinkedHashMap<>(now);
      was.put(before.id(), before.items());
      PolicyVersion v = writePolicy(h, caller, e, principal, now);
      PackageStore.setBindingVersion(h, e.id(), after.id(), v.version());
      plans.add(new Plan(e, principal, items(was), items(now)));
    }
    return plans;
  }

  /** Revokes, after a package's replacement committed, what its engines' new policies dropped. */
  void revoke(Caller caller, List<Plan> plans, String packageId, Optional<String> requestId) {
    policies.refresh();
    for (Plan p : plans) {
      revokeDropped(
          caller,
          p.engine(),
          p.principal(),
          p.before(),
          p.after(),
          "package " + packageId + " replaced",
          requestId);
    }
  }

  /** The {@code policy_version} of a binding being unbound: its package grants nothing any more. */
  static final int UNBINDING = -1;

  private PolicyVersion writePolicy(
      Handle h,
      Caller caller,
      Engine e,
      String principal,
      Map<String, List<ServicePackage.Item>> bound) {
    List<BindingPolicy.Bound> list = new ArrayList<>();
    bound.forEach((pkg, items) -> list.add(new BindingPolicy.Bound(pkg, items)));
    String doc =
        BindingPolicy.document(
            e.id(), e.serviceAccountId(), principal, list, item -> operationsOf(h, item));
    try {
      // the set is the broker's, written on the caller's behalf once this service has checked
      // that the engine and every package are the caller's account's
      return policies.putIn(h, PackageService.policyId(e.id()), doc, caller.principal());
    } catch (ValidationException tooLarge) {
      throw new ValidationException(
          "package_id",
          "policy_too_large",
          "the engine's generated policy would be refused: " + tooLarge.getMessage());
    }
  }

  private static Set<Operation> operationsOf(Handle h, ServicePackage.Item item) {
    return ScopeService.find(h, item.secretId(), item.scope())
        .map(SecretScope::operations)
        .orElse(Set.of());
  }

  private int revokeDropped(
      Caller caller,
      Engine e,
      String principal,
      Set<ServicePackage.Item> before,
      Set<ServicePackage.Item> after,
      String why,
      Optional<String> requestId) {
    Set<ServicePackage.Item> dropped = new HashSet<>(before);
    dropped.removeAll(after);
    Set<String> secrets = new java.util.TreeSet<>();
    dropped.forEach(i -> secrets.add(i.secretId()));
    int n = 0;
    for (String secretId : secrets) {
      for (Grant g : tokens.liveGrants(secretId)) {
        boolean engines =
            g.subject().equalsIgnoreCase(principal)
                || g.serviceAccountId().equals(e.serviceAccountId());
        if (engines
            && g.depth() == 0
            && dropped.contains(new ServicePackage.Item(g.secretId(), g.scope()))) {
          tokens.revoke(
              broker(caller),
              new RevokeRequest(g.id(), true, null, null, null, why + " from engine " + e.id()),
              requestId);
          n++;
        }
      }
    }
    return n;
  }

  private static Caller broker(Caller caller) {
    return new Caller(
        caller.serviceAccountId(), caller.principal(), caller.apiKeyId(), Set.of(Scope.ADMIN));
  }

  private static ConflictException revoked(Engine e) {
    return new ConflictException(
        "service_account_id",
        "revoked",
        "the service account " + e.serviceAccountId() + " of engine " + e.id() + " is revoked");
  }

  /**
   * The engine's principal, its service account's name even when the account is revoked: the
   * generated rules of an unbinding or a package's replacement still name it (it authenticates no
   * more), so that a revoked account never keeps a package bound.
   */
  private static String anyPrincipal(Handle h, Engine e) {
    return PackageStore.accountName(h, e.serviceAccountId()).orElseThrow(() -> revoked(e));
  }

  private Map<String, List<ServicePackage.Item>> boundItems(String engineId) {
    return db.read(h -> boundItems(h, engineId));
  }

  /** The items of the engine's bindings that grant (not those being unbound), read on {@code h}. */
  private static Map<String, List<ServicePackage.Item>> boundItems(Handle h, String engineId) {
    Map<String, List<ServicePackage.Item>> out = new LinkedHashMap<>();
    for (Engine.Binding b : PackageStore.bindings(h, engineId)) {
      if (b.policyVersion() != UNBINDING) {
        out.put(b.packageId(), PackageStore.items(h, b.packageId()));
      }
    }
    return out;
  }

  private static Set<ServicePackage.Item> items(Map<String, List<ServicePackage.Item>> bound) {
    Set<ServicePackage.Item> out = new HashSet<>();
    bound.values().forEach(out::addAll);
    return out;
  }

  private static String scopesOf(List<ServicePackage.Item> items) {
    return String.join(", ", items.stream().map(i -> i.scope() + " of " + i.secretId()).toList());
  }

  static Engine visible(Handle h, Caller caller, String id) {
    if (!Ids.looksLike("eng_", id)) {
      throw new EngineNotFoundException(
          String.valueOf(id).length() > 40 ? "(malformed id)" : String.valueOf(id));
    }
    return PackageStore.findEngine(h, id)
        .filter(x -> caller.owns(x.accountId()))
        .orElseThrow(() -> new EngineNotFoundException(id));
  }
}
