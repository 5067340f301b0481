package io.secretsapi.server;

import static io.secretsapi.server.JsonSchema.array;
import static io.secretsapi.server.JsonSchema.integer;
import static io.secretsapi.server.JsonSchema.items;
import static io.secretsapi.server.JsonSchema.object;
import static io.secretsapi.server.JsonSchema.oneOfStrings;
import static io.secretsapi.server.JsonSchema.ref;
import static io.secretsapi.server.JsonSchema.string;
import static io.secretsapi.server.JsonSchema.time;

import io.secretsapi.Required;
import io.secretsapi.access.Scope;
import io.secretsapi.incident.Incident;
import io.secretsapi.incident.Incidents;
import io.secretsapi.incident.NewIncident;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Incidents: containment of a compromised secret in one call (design 0026). */
final class IncidentRoutes {
  /** Body of {@code POST /incidents}: a secret or a token, and why. */
  record OpenIncident(String secretId, String tokenId, @Required String reason) {}

  /** Body of {@code POST /incidents/{id}/close}. */
  record CloseIncident(@Required String note) {}

  private IncidentRoutes() {}

  static void register(Api api, Incidents incidents) {
    api.route(
            "POST",
            "/incidents",
            Scope.TOKENS_REVOKE,
            "Open an incident on a compromised secret (or a token's secret) and run the"
                + " containment playbook: revoke, block on every node, cut sessions, escalate"
                + " policy, replay the audit, replace, track re-authentication; needs"
                + " policies:write too. The replacement tokens are in this answer only, once")
        .body(OpenIncident.class)
        .status(201)
        .answers(ref("Incident"))
        .handle(
            (ctx, caller) -> {
              OpenIncident b = Bodies.read(ctx, OpenIncident.class);
              Incident in =
                  incidents.open(
                      caller,
                      new NewIncident(b.secretId(), b.tokenId(), b.reason()),
                      Optional.of(RequestIds.of(ctx)));
              ctx.status(201).json(json(in));
            });
    api.route(
            "GET",
            "/incidents",
            Scope.AUDIT_READ,
            "Incidents the caller may see, newest first, with their containment progress")
        .query("state", oneOfStrings("open", "closed"), "only incidents in this state")
        .query("limit", integer(), "at most this many (1 to 500, default 50)")
        .answers(items(ref("Incident")))
        .handle(
            (ctx, caller) -> {
              int limit = Bodies.query(ctx, "limit").map(IncidentRoutes::limit).orElse(50);
              ctx.json(
                  Map.of(
                      "items",
                      incidents.list(caller, Bodies.query(ctx, "state"), limit).stream()
                          .map(IncidentRoutes::json)
                          .toList()));
            });
    api.route(
            "GET",
            "/incidents/{id}",
            Scope.AUDIT_READ,
            "One incident: its timeline (each step's time and result), progress, affected"
                + " services and derivatives")
        .answers(ref("Incident"))
        .handle((ctx, caller) -> ctx.json(json(incidents.get(caller, ctx.pathParam("id")))));
    api.route(
            "POST",
            "/incidents/{id}/close",
            Scope.TOKENS_REVOKE,
            "Close an open incident with a note: the block lifts on every node and the policy"
                + " escalation is withdrawn; needs policies:write too")
        .body(CloseIncident.class)
        .answers(ref("Incident"))
        .handle(
            (ctx, caller) -> {
              CloseIncident b = Bodies.read(ctx, CloseIncident.class);
              ctx.json(
                  json(
                      incidents.close(
                          caller, ctx.pathParam("id"), b.note(), Optional.of(RequestIds.of(ctx)))));
            });
  }

  private static int limit(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new io.secretsapi.ValidationException("limit", "integer", "limit must be an integer");
    }
  }

  static Map<String, Object> json(Incident in) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", in.id());
    m.put("secret_id", in.secretId());
    m.put("token_id", in.tokenId().orElse(null));
    m.put("reason", in.reason());
    m.put("state", in.state());
    m.put("through_version", in.throughVersion());
    m.put("containment", in.containment());
    m.put("containment_label", "containment " + in.containment() + "%");
    m.put("propagation_ms", in.propagationMillis());
    m.put("opened_by", in.openedBy());
    m.put("opened_at", in.openedAt().toString());
    m.put("closed_by", in.closedBy().orElse(null));
    m.put("closed_at", in.closedAt().map(Object::toString).orElse(null));
    m.put("close_note", in.closeNote().orElse(null));
    m.put(
        "timeline",
        in.timeline().stream()
            .map(
                s -> {
                  Map<String, Object> x = new LinkedHashMap<>();
                  x.put("step", s.step());
                  x.put("name", s.name());
                  x.put("state", s.state());
                  x.put("detail", s.detail());
                  x.put("count", s.count());
                  x.put("at_ms", s.atMillis());
                  x.put("took_ms", s.tookMillis());
                  x.put("audit_ref", s.auditRef().orElse(null));
                  return x;
                })
            .toList());
    m.put(
        "affected",
        in.affected().stream()
            .map(
                a -> {
                  Map<String, Object> x = new LinkedHashMap<>();
                  x.put("kind", a.kind());
                  x.put("name", a.name());
                  x.put("state", a.state());
                  x.put("grants_revoked", a.grantsRevoked());
                  x.put("replacement_id", a.replacementId().orElse(null));
                  return x;
                })
            .toList());
    m.put(
        "derivatives",
        Map.of("revoked", in.derivatives().revoked(), "pending", in.derivatives().pending()));
    if (!in.replacements().isEmpty()) {
      m.put(
          "replacements",
          in.replacements().stream()
              .map(
                  r -> {
                    Map<String, Object> x = new LinkedHashMap<>();
                    x.put("principal", r.principal());
                    x.put("scope", r.scope());
                    x.put("token_id", r.tokenId());
                    x.put("token", r.token());
                    x.put("expires_in", r.expiresIn());
                    return x;
                  })
              .toList());
    }
    return m;
  }

  /** The {@code Incident} schema of the OpenAPI document. */
  static Map<String, Object> schema() {
    return object()
        .req("id", string("IN- and eight characters, such as IN-K7QD-3XPA"))
        .req("secret_id", string())
        .nul("token_id", string())
        .req("reason", string())
        .req("state", oneOfStrings("open", "closed"))
        .req("through_version", integer())
        .req("containment", integer())
        .req("containment_label", string("such as containment 62%"))
        .req("propagation_ms", integer())
        .req("opened_by", string())
        .req("opened_at", time())
        .nul("closed_by", string())
        .nul("closed_at", time())
        .nul("close_note", string())
        .req(
            "timeline",
            array(
                object()
                    .req("step", integer())
                    .req("name", string())
                    .req("state", oneOfStrings("done", "pending", "tracking", "stopped", "failed"))
                    .req("detail", string())
                    .req("count", integer())
                    .req("at_ms", integer())
                    .req("took_ms", integer())
                    .nul("audit_ref", string())
                    .build()))
        .req(
            "affected",
            array(
                object()
                    .req("kind", oneOfStrings("upstream", "principal"))
                    .req("name", string())
                    .req(
                        "state",
                        oneOfStrings("blocked", "restored", "revoked", "pending", "re-auth"))
                    .req("grants_revoked", integer())
                    .nul("replacement_id", string())
                    .build()))
        .req("derivatives", object().req("revoked", integer()).req("pending", integer()).build())
        .opt(
            "replacements",
            array(
                object()
                    .req("principal", string())
                    .req("scope", string())
                    .req("token_id", string())
                    .req("token", string("the replacement token, shown in this answer only"))
                    .req("expires_in", integer())
                    .build()))
        .build();
  }
}
