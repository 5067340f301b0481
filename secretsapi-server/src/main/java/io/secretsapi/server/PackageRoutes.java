package io.secretsapi.server;

import static io.secretsapi.server.JsonSchema.array;
import static io.secretsapi.server.JsonSchema.integer;
import static io.secretsapi.server.JsonSchema.items;
import static io.secretsapi.server.JsonSchema.object;
import static io.secretsapi.server.JsonSchema.oneOfStrings;
import static io.secretsapi.server.JsonSchema.string;
import static io.secretsapi.server.JsonSchema.strings;
import static io.secretsapi.server.JsonSchema.time;

import io.secretsapi.Required;
import io.secretsapi.access.Scope;
import io.secretsapi.pkg.Credential;
import io.secretsapi.pkg.Engine;
import io.secretsapi.pkg.EngineService;
import io.secretsapi.pkg.NewEngine;
import io.secretsapi.pkg.NewPackage;
import io.secretsapi.pkg.PackageService;
import io.secretsapi.pkg.Posture;
import io.secretsapi.pkg.ServicePackage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Service packages, engines and their bindings (docs/packages.md, design 0031). Reading needs
 * {@code secrets:read}; writing packages and engines and binding need {@code policies:write}, since
 * a binding writes the engine's policy set.
 */
final class PackageRoutes {
  /** Body of {@code POST /engines/{id}/bindings}. */
  record Bind(@Required String packageId) {}

  /** Body of {@code PATCH /engines/{id}}: the webhook to notify, empty for none. */
  record EngineUpdate(@Required String webhookId) {}

  private PackageRoutes() {}

  static void register(Api api, PackageService packages, EngineService engines) {
    api.route(
            "POST",
            "/packages",
            Scope.POLICIES_WRITE,
            "Create a service package: a name, a tier, a review lane and the secrets it bundles,"
                + " each with the scope (existing on the secret) it is used under")
        .body(NewPackage.class)
        .status(201)
        .answers(packageSchema())
        .handle(
            (ctx, caller) -> {
              NewPackage b = Bodies.read(ctx, NewPackage.class);
              ServicePackage p = packages.create(caller, b, Optional.of(RequestIds.of(ctx)));
              ctx.status(201).json(json(packages, p));
            });
    api.route(
            "GET",
            "/packages",
            Scope.SECRETS_READ,
            "The service packages of the caller's account with their readiness posture, by name")
        .answers(items(packageSchema()))
        .handle(
            (ctx, caller) ->
                ctx.json(
                    Map.of(
                        "items",
                        packages.list(caller).stream().map(p -> json(packages, p)).toList())));
    api.route(
            "GET",
            "/packages/{id}",
            Scope.SECRETS_READ,
            "One service package with its readiness posture: Ready when every bundled secret is"
                + " active and freshly validated healthy, Review naming each secret that is not")
        .answers(packageSchema())
        .handle(
            (ctx, caller) -> ctx.json(json(packages, packages.get(caller, ctx.pathParam("id")))));
    api.route(
            "PUT",
            "/packages/{id}",
            Scope.POLICIES_WRITE,
            "Replace a service package; the policies of the engines it is bound to are rewritten"
                + " and their live grants of items it no longer bundles are revoked")
        .body(NewPackage.class)
        .answers(packageSchema())
        .handle(
            (ctx, caller) -> {
              NewPackage b = Bodies.read(ctx, NewPackage.class);
              ServicePackage p =
                  packages.replace(caller, ctx.pathParam("id"), b, Optional.of(RequestIds.of(ctx)));
              ctx.json(json(packages, p));
            });
    api.route(
            "DELETE",
            "/packages/{id}",
            Scope.POLICIES_WRITE,
            "Delete a service package that no engine binds")
        .status(204)
        .noContent()
        .handle(
            (ctx, caller) -> {
              packages.delete(caller, ctx.pathParam("id"), Optional.of(RequestIds.of(ctx)));
              ctx.status(204);
            });
    registerEngines(api, engines);
  }

  private static void registerEngines(Api api, EngineService engines) {
    api.route(
            "POST",
            "/engines",
            Scope.POLICIES_WRITE,
            "Create an engine: a deployed workload with its plan, placement, slots, frontend and"
                + " admin state, release, and the service account its principals belong to")
        .body(NewEngine.class)
        .status(201)
        .answers(engineSchema())
        .handle(
            (ctx, caller) -> {
              NewEngine b = Bodies.read(ctx, NewEngine.class);
              ctx.status(201)
                  .json(json(engines.create(caller, b, Optional.of(RequestIds.of(ctx)))));
            });
    api.route(
            "PATCH",
            "/engines/{id}",
            Scope.POLICIES_WRITE,
            "Set the webhook (one of the engine's account) that the rotations of its bound"
                + " packages' secrets are delivered to, whatever the webhook's own event filter;"
                + " an empty webhook_id clears it")
        .body(EngineUpdate.class)
        .answers(engineSchema())
        .handle(
            (ctx, caller) -> {
              EngineUpdate b = Bodies.read(ctx, EngineUpdate.class);
              ctx.json(
                  json(
                      engines.setWebhook(
                          caller,
                          ctx.pathParam("id"),
                          b.webhookId(),
                          Optional.of(RequestIds.of(ctx)))));
            });
    api.route("GET", "/engines", Scope.SECRETS_READ, "The engines of the caller's account")
        .answers(items(engineSchema()))
        .handle(
            (ctx, caller) ->
                ctx.json(
                    Map.of(
                        "items", engines.list(caller).stream().map(PackageRoutes::json).toList())));
    api.route("GET", "/engines/{id}", Scope.SECRETS_READ, "One engine with its bindings")
        .answers(engineSchema())
        .handle((ctx, caller) -> ctx.json(json(engines.get(caller, ctx.pathParam("id")))));
    api.route(
            "POST",
            "/engines/{id}/bindings",
            Scope.POLICIES_WRITE,
            "Bind a package to an engine: a new version of the policy set engine-{id} lets the"
                + " engine's principals issue exactly the package's scopes")
        .body(Bind.class)
        .status(201)
        .answers(engineSchema())
        .handle(
            (ctx, caller) -> {
              Bind b = Bodies.read(ctx, Bind.class);
              Engine e =
                  engines.bind(
                      caller, ctx.pathParam("id"), b.packageId(), Optional.of(RequestIds.of(ctx)));
              ctx.status(201).json(json(e));
            });
    api.route(
            "DELETE",
            "/engines/{id}/bindings/{package_id}",
            Scope.POLICIES_WRITE,
            "Unbind a package: a new version of the policy set engine-{id} without it, and every"
                + " live grant of its scopes held by the engine's principals revoked")
        .answers(engineSchema())
        .handle(
            (ctx, caller) ->
                ctx.json(
                    json(
                        engines.unbind(
                            caller,
                            ctx.pathParam("id"),
                            ctx.pathParam("package_id"),
                            Optional.of(RequestIds.of(ctx))))));
    api.route(
            "GET",
            "/engines/{id}/credentials",
            Scope.SECRETS_READ,
            "The engine's credential vault: each secret and scope its bound packages give it,"
                + " with provider, status, next rotation and validation; masked values only")
        .answers(items(credentialSchema()))
        .handle(
            (ctx, caller) ->
                ctx.json(
                    Map.of(
                        "items",
                        engines.credentials(caller, ctx.pathParam("id")).stream()
                            .map(PackageRoutes::json)
                            .toList())));
  }

  private static Map<String, Object> packageSchema() {
    return object()
        .req("id", string())
        .req("name", string())
        .req("tier", string())
        .req("review_lane", string())
        .req("items", array(object().req("secret_id", string()).req("scope", string()).build()))
        .req(
            "posture",
            object()
                .req("state", oneOfStrings(Posture.READY, Posture.REVIEW))
                .req(
                    "reasons",
                    array(object().req("secret_id", string()).req("why", string()).build()))
                .build())
        .req("engines", strings())
        .req("created_at", time())
        .req("updated_at", time())
        .build();
  }

  private static Map<String, Object> engineSchema() {
    return object()
        .req("id", string())
        .req("name", string())
        .req("plan", string())
        .req("placement", string())
        .req("slots_used", integer())
        .req("slots_total", integer())
        .req("frontend_state", string())
        .req("admin_state", string())
        .req("release", string())
        .req("service_account_id", string())
        .nul("webhook_id", string())
        .req(
            "bindings",
            array(
                object()
                    .req("package_id", string())
                    .req("policy_id", string())
                    .req("policy_version", integer())
                    .req("bound_at", time())
                    .req("bound_by", string())
                    .build()))
        .req("created_at", time())
        .build();
  }

  private static Map<String, Object> credentialSchema() {
    return object()
        .req("secret_id", string())
        .req("name", string())
        .req("provider", string())
        .req("scope", string())
        .req("status", string())
        .nul("next_rotation", time())
        .req("validation", string())
        .nul("validated_at", time())
        .req("masked", string())
        .req("fingerprint", string())
        .req("packages", strings())
        .build();
  }

  static Map<String, Object> json(PackageService packages, ServicePackage p) {
    Posture posture = packages.posture(p);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", p.id());
    m.put("name", p.name());
    m.put("tier", p.tier());
    m.put("review_lane", p.reviewLane());
    m.put(
        "items",
        p.items().stream()
            .map(i -> Map.of("secret_id", i.secretId(), "scope", i.scope()))
            .toList());
    m.put(
        "posture",
        Map.of(
            "state",
            posture.state(),
            "reasons",
            posture.reasons().stream()
                .map(r -> Map.of("secret_id", r.secretId(), "why", r.why()))
                .toList()));
    m.put("engines", packages.boundTo(p));
    m.put("created_at", p.createdAt().toString());
    m.put("updated_at", p.updatedAt().toString());
    return m;
  }

  static Map<String, Object> json(Engine e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", e.id());
    m.put("name", e.name());
    m.put("plan", e.plan());
    m.put("placement", e.placement());
    m.put("slots_used", e.slotsUsed());
    m.put("slots_total", e.slotsTotal());
    m.put("frontend_state", e.frontendState());
    m.put("admin_state", e.adminState());
    m.put("release", e.release());
    m.put("service_account_id", e.serviceAccountId());
    m.put("webhook_id", e.webhookId().orElse(null));
    m.put(
        "bindings",
        e.bindings().stream()
            .map(
                b -> {
                  Map<String, Object> x = new LinkedHashMap<>();
                  x.put("package_id", b.packageId());
                  x.put("policy_id", b.policyId());
                  x.put("policy_version", b.policyVersion());
                  x.put("bound_at", b.boundAt().toString());
                  x.put("bound_by", b.boundBy());
                  return x;
                })
            .toList());
    m.put("created_at", e.createdAt().toString());
    return m;
  }

  static Map<String, Object> json(Credential c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("secret_id", c.secretId());
    m.put("name", c.name());
    m.put("provider", c.provider());
    m.put("scope", c.scope());
    m.put("status", c.status());
    m.put("next_rotation", c.nextRotation().map(Object::toString).orElse(null));
    m.put("validation", c.validation());
    m.put("validated_at", c.validatedAt().map(Object::toString).orElse(null));
    m.put("masked", c.masked());
    m.put("fingerprint", c.fingerprint());
    m.put("packages", c.packages());
    return m;
  }
}
