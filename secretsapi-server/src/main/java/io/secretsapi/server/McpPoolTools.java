package io.secretsapi.server;

import static io.secretsapi.server.McpTools.schema;
import static io.secretsapi.server.McpTools.str;

import io.secretsapi.access.Scope;
import io.secretsapi.pkg.EngineService;
import io.secretsapi.pkg.PackageService;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The provisioning tools of the MCP endpoint (docs/packages.md, docs/mcp.md): list the API Services
 * Pool's packages and the engines, attach a package to an engine and detach it. They call the same
 * services as {@code GET /packages}, {@code GET /engines}, {@code POST /engines/{id}/bindings} and
 * {@code DELETE /engines/{id}/bindings/{package_id}}, with their scopes. "The MCP never authors
 * provider integrations directly": no tool creates, changes or deletes a package, an engine or a
 * secret; attaching writes only the engine's generated policy set, as binding does.
 */
final class McpPoolTools {
  private McpPoolTools() {}

  static List<McpTool> all(PackageService packages, EngineService engines) {
    return List.of(listPackages(packages), listEngines(engines), attach(engines), detach(engines));
  }

  static McpTool listPackages(PackageService packages) {
    return McpTool.needing(
        Scope.SECRETS_READ,
        "list_packages",
        "List the API Services Pool: the approved service packages that can be attached to an"
            + " engine, each with the secrets and scopes it bundles, its posture (Ready, or Review"
            + " naming each secret that holds it back) and the engines it is bound to (as GET"
            + " /packages). Never a secret's value.",
        schema(Map.of()),
        (caller, args) ->
            Map.of(
                "items",
                packages.list(caller.key().orElseThrow()).stream()
                    .map(p -> PackageRoutes.json(packages, p))
                    .toList()));
  }

  static McpTool listEngines(EngineService engines) {
    return McpTool.needing(
        Scope.SECRETS_READ,
        "list_engines",
        "List the engines (deployed workloads) with their plan, placement, slots and the packages"
            + " bound to them (as GET /engines).",
        schema(Map.of()),
        (caller, args) ->
            Map.of(
                "items",
                engines.list(caller.key().orElseThrow()).stream()
                    .map(PackageRoutes::json)
                    .toList()));
  }

  static McpTool attach(EngineService engines) {
    return McpTool.needing(
        Scope.POLICIES_WRITE,
        "attach_package",
        "Attach a package from the API Services Pool to an engine (as POST"
            + " /engines/{id}/bindings): the engine's principals may then issue exactly the"
            + " package's scopes, through a new version of the policy set engine-<id>.",
        schema(
            Map.of(
                "engine_id", str("the engine, such as eng_..."),
                "package_id", str("the package, such as pkg_...")),
            "engine_id",
            "package_id"),
        (caller, args) ->
            PackageRoutes.json(
                engines.bind(
                    caller.key().orElseThrow(),
                    args.string("engine_id"),
                    args.string("package_id"),
                    Optional.of(caller.requestId()))));
  }

  static McpTool detach(EngineService engines) {
    return McpTool.needing(
        Scope.POLICIES_WRITE,
        "detach_package",
        "Detach a package from an engine (as DELETE /engines/{id}/bindings/{package_id}): a new"
            + " version of the policy set engine-<id> without it, and every live grant of its"
            + " scopes held by the engine's principals revoked.",
        schema(
            Map.of(
                "engine_id", str("the engine, such as eng_..."),
                "package_id", str("the package, such as pkg_...")),
            "engine_id",
            "package_id"),
        (caller, args) ->
            PackageRoutes.json(
                engines.unbind(
                    caller.key().orElseThrow(),
                    args.string("engine_id"),
                    args.string("package_id"),
                    Optional.of(caller.requestId()))));
  }
}
