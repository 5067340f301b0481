package io.secretsapi.server;

import static io.secretsapi.server.JsonSchema.array;
import static io.secretsapi.server.JsonSchema.integer;
import static io.secretsapi.server.JsonSchema.items;
import static io.secretsapi.server.JsonSchema.object;
import static io.secretsapi.server.JsonSchema.oneOfStrings;
import static io.secretsapi.server.JsonSchema.ref;
import static io.secretsapi.server.JsonSchema.string;
import static io.secretsapi.server.JsonSchema.strings;

import io.secretsapi.Durations;
import io.secretsapi.Inputs;
import io.secretsapi.Required;
import io.secretsapi.access.Scope;
import io.secretsapi.policy.Decision;
import io.secretsapi.policy.PolicyRequest;
import io.secretsapi.policy.PolicyService;
import io.secretsapi.policy.PolicyVersion;
import io.secretsapi.secret.SecretNotFoundException;
import io.secretsapi.secret.Vault;
import io.secretsapi.token.TokenService;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Routes for versioned policy sets and the gate's dry run. */
final class PolicyRoutes {
  /** Body of {@code POST /policies/test}: a request to decide without doing it. */
  record TestBody(
      @Required String principal,
      String serviceAccountId,
      @Required String operation,
      @Required String secretId,
      String ttl,
      String amount,
      String environment,
      String subject,
      Map<String, Object> attestationClaims,
      String scope) {}

  /** Marks the raw YAML or JSON document a PUT takes, for the OpenAPI description. */
  record PolicyDocumentBody(
      String id, String description, @Required java.util.List<Object> rules) {}

  private PolicyRoutes() {}

  static void register(Api api, PolicyService policies, Vault vault) {
    api.route(
            "PUT",
            "/policies/{id}",
            Scope.POLICIES_WRITE,
            "Write the next version of a policy set (YAML or JSON); it applies to the very next request")
        .body(PolicyDocumentBody.class)
        .bodyTypes("application/json", "application/yaml")
        .answers(ref("PolicyVersion"))
        .handle(
            (ctx, caller) -> {
              String ct =
                  ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
              if (!(ct.startsWith("application/json") || ct.contains("yaml"))) {
                throw new BadRequestException(
                    "Content-Type",
                    "media_type",
                    "send the policy as application/json or application/yaml");
              }
              String doc = new String(Bodies.bytes(ctx), StandardCharsets.UTF_8);
              ctx.json(view(policies.put(caller, ctx.pathParam("id"), doc)));
            });
    api.route(
            "GET", "/policies", Scope.AUDIT_READ, "Every policy set at its current version, by id")
        .answers(items(ref("PolicyVersion")))
        .handle(
            (ctx, caller) ->
                ctx.json(
                    Map.of("items", policies.list().stream().map(PolicyRoutes::view).toList())));
    api.route("GET", "/policies/{id}", Scope.AUDIT_READ, "The current version of a policy set")
        .answers(ref("PolicyVersion"))
        .handle((ctx, caller) -> ctx.json(view(policies.current(ctx.pathParam("id")))));
    api.route(
            "GET",
            "/policies/{id}/versions",
            Scope.AUDIT_READ,
            "Every version of a policy set, newest first")
        .answers(items(ref("PolicyVersion")))
        .handle(
            (ctx, caller) ->
                ctx.json(
                    Map.of(
                        "items",
                        policies.versions(ctx.pathParam("id")).stream()
                            .map(PolicyRoutes::view)
                            .toList())));
    api.route(
            "GET",
            "/policies/{id}/diff",
            Scope.AUDIT_READ,
            "Line diff between two versions: ?from=&to=")
        .query("from", integer(), "the older version (default: the one before to)")
        .query("to", integer(), "the newer version (default: the current one)")
        .answers(
            object()
                .req("id", string())
                .req("from", integer())
                .req("to", integer())
                .req("diff", strings()))
        .handle(
            (ctx, caller) -> {
              int from = Bodies.queryInt(ctx, "from", -1);
              int to = Bodies.queryInt(ctx, "to", -1);
              ctx.json(
                  Map.of(
                      "id",
                      ctx.pathParam("id"),
                      "from",
                      from,
                      "to",
                      to,
                      "diff",
                      policies.diff(ctx.pathParam("id"), from, to)));
            });
    api.route(
            "POST",
            "/policies/test",
            Scope.POLICIES_WRITE,
            "Dry run: the decision, the matching rules and the reason, for a request that is not made")
        .body(TestBody.class)
        .answers(
            object()
                .req("decision", oneOfStrings("allow", "deny", "approve"))
                .req("policy_ref", ref("PolicyRef"))
                .req("reason", string())
                .nul("max_ttl", string())
                .req("matched", array(ref("PolicyRef")))
                .opt("approvers", array(string("who may approve, for decision approve"))))
        .handle(
            (ctx, caller) -> {
              TestBody b = Bodies.read(ctx, TestBody.class);
              var secret =
                  vault
                      .find(Inputs.required("secret_id", b.secretId(), 64))
                      .orElseThrow(() -> new SecretNotFoundException(b.secretId()));
              String op = Inputs.required("operation", b.operation(), 32);
              PolicyRequest req =
                  new PolicyRequest(
                      Inputs.slug("principal", b.principal(), 64),
                      b.serviceAccountId() == null ? "" : b.serviceAccountId(),
                      op,
                      secret,
                      Optional.ofNullable(b.ttl()).map(t -> Durations.parse("ttl", t)),
                      Optional.ofNullable(b.amount()).map(PolicyRoutes::decimal),
                      b.environment() == null ? secret.environment() : b.environment(),
                      b.attestationClaims() == null ? Map.of() : b.attestationClaims(),
                      Optional.ofNullable(b.subject()),
                      Instant.now(),
                      Optional.ofNullable(b.scope()).map(sc -> Inputs.slug("scope", sc, 64)));
              ctx.json(decision(policies.test(req)));
            });
  }

  private static BigDecimal decimal(String s) {
    try {
      return new BigDecimal(s);
    } catch (NumberFormatException e) {
      throw new BadRequestException("amount", "decimal", "amount must be a decimal number");
    }
  }

  static Map<String, Object> view(PolicyVersion v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", v.id());
    m.put("version", v.version());
    m.put("created_at", v.createdAt());
    m.put("created_by", v.createdBy());
    m.put("document", v.document());
    return m;
  }

  static Map<String, Object> decision(Decision d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("decision", d.allowed() ? "allow" : d.approvalRequired() ? "approve" : "deny");
    m.put("policy_ref", TokenService.policyMap(d.ref()));
    m.put("reason", d.reason());
    m.put("max_ttl", d.maxTtl().map(Durations::format).orElse(null));
    m.put("matched", d.matched().stream().map(TokenService::policyMap).toList());
    d.approval().ifPresent(a -> m.put("approvers", a.approvers()));
    return m;
  }
}
