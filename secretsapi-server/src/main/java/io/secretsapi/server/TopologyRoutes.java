package io.secretsapi.server;

import static io.secretsapi.server.JsonSchema.array;
import static io.secretsapi.server.JsonSchema.integer;
import static io.secretsapi.server.JsonSchema.object;
import static io.secretsapi.server.JsonSchema.oneOfStrings;
import static io.secretsapi.server.JsonSchema.string;
import static io.secretsapi.server.JsonSchema.strings;
import static io.secretsapi.server.JsonSchema.time;

import io.secretsapi.Required;
import io.secretsapi.access.Scope;
import io.secretsapi.topology.Resource;
import io.secretsapi.topology.ResourceState;
import io.secretsapi.topology.Topology;
import io.secretsapi.topology.TopologyService;
import io.secretsapi.topology.TrustZone;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The resource topology and its trust zones (docs/topology.md, design 0028). */
final class TopologyRoutes {
  /** Body of {@code PUT /topology/zones/{name}}. */
  record SetZone(String description, @Required List<String> resources) {}

  private TopologyRoutes() {}

  static void register(Api api, TopologyService topology) {
    api.route(
            "GET",
            "/topology",
            Scope.SECRETS_READ,
            "The resource topology: each upstream host a scope names, with the secrets that reach"
                + " it, its access rate per minute (as this node served it) and its state, grouped"
                + " in trust zones; a key that is not an administrator sees only what its own"
                + " account's secrets reach")
        .answers(
            object()
                .req(
                    "zones",
                    array(
                        object()
                            .req("name", string())
                            .req("description", string())
                            .req("resources", array(resourceSchema()))
                            .build()))
                .req("nodes", integer()))
        .handle(
            (ctx, caller) -> {
              Topology t = topology.topology(caller);
              Map<String, Object> m = new LinkedHashMap<>();
              m.put("zones", t.zones().stream().map(TopologyRoutes::zone).toList());
              m.put("nodes", t.nodes());
              ctx.json(m);
            });
    api.route(
            "PUT",
            "/topology/zones/{name}",
            Scope.POLICIES_WRITE,
            "Create or replace a trust zone: its description and exactly its resources (host"
                + " names); a resource assigned to another zone moves here")
        .body(SetZone.class)
        .answers(zoneSetSchema())
        .handle(
            (ctx, caller) -> {
              SetZone b = Bodies.read(ctx, SetZone.class);
              TrustZone z =
                  topology.setZone(caller, ctx.pathParam("name"), b.description(), b.resources());
              ctx.json(zoneSet(z));
            });
    api.route(
            "DELETE",
            "/topology/zones/{name}",
            Scope.POLICIES_WRITE,
            "Delete a trust zone; its resources become unassigned")
        .status(204)
        .noContent()
        .handle(
            (ctx, caller) -> {
              topology.deleteZone(caller, ctx.pathParam("name"));
              ctx.status(204);
            });
  }

  private static Map<String, Object> resourceSchema() {
    return object()
        .req("name", string("the host, as scopes name it"))
        .req(
            "secrets",
            array(
                object()
                    .req("id", string())
                    .req("name", string())
                    .req("provider", string())
                    .req("resource_class", string())
                    .req("scopes", strings())
                    .build()))
        .req("resource_classes", strings())
        .req("rate_per_minute", integer())
        .req(
            "state",
            oneOfStrings(
                Arrays.stream(ResourceState.values())
                    .map(ResourceState::wire)
                    .toArray(String[]::new)))
        .req("state_reason", string())
        .build();
  }

  private static Map<String, Object> zoneSetSchema() {
    return object()
        .req("name", string())
        .req("description", string())
        .req("resources", strings())
        .req("updated_by", string())
        .req("updated_at", time())
        .build();
  }

  private static Map<String, Object> zone(Topology.Zone z) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", z.name());
    m.put("description", z.description());
    m.put("resources", z.resources().stream().map(TopologyRoutes::resource).toList());
    return m;
  }

  private static Map<String, Object> resource(Resource r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", r.name());
    m.put(
        "secrets",
        r.secrets().stream()
            .map(
                s -> {
                  Map<String, Object> x = new LinkedHashMap<>();
                  x.put("id", s.id());
                  x.put("name", s.name());
                  x.put("provider", s.provider());
                  x.put("resource_class", s.resourceClass());
                  x.put("scopes", s.scopes());
                  return x;
                })
            .toList());
    m.put("resource_classes", r.resourceClasses());
    m.put("rate_per_minute", r.ratePerMinute());
    m.put("state", r.state().wire());
    m.put("state_reason", r.reason());
    return m;
  }

  private static Map<String, Object> zoneSet(TrustZone z) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", z.name());
    m.put("description", z.description());
    m.put("resources", z.resources());
    m.put("updated_by", z.updatedBy());
    m.put("updated_at", z.updatedAt().toString());
    return m;
  }
}
