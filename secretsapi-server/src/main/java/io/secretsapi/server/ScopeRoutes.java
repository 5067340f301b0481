package io.secretsapi.server;

import static io.secretsapi.server.JsonSchema.constant;
import static io.secretsapi.server.JsonSchema.items;
import static io.secretsapi.server.JsonSchema.object;
import static io.secretsapi.server.JsonSchema.ref;
import static io.secretsapi.server.JsonSchema.string;

import io.secretsapi.Durations;
import io.secretsapi.access.Scope;
import io.secretsapi.token.NewScope;
import io.secretsapi.token.Operation;
import io.secretsapi.token.ScopeService;
import io.secretsapi.token.SecretScope;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/** Routes for the scopes of a secret: one resource, one use. */
final class ScopeRoutes {
  private ScopeRoutes() {}

  static void register(Api api, ScopeService scopes) {
    api.route(
            "POST",
            "/secrets/{id}/scope",
            Scope.SECRETS_WRITE,
            "Define a narrow scope of a secret: operations, upstream, max TTL, uses and amount")
        .body(NewScope.class)
        .status(201)
        .answers(ref("SecretScope"))
        .example(Examples.SCOPE_REQUEST, Examples.scopeAnswer())
        .handle(
            (ctx, caller) -> {
              NewScope b = Bodies.read(ctx, NewScope.class);
              ctx.status(201).json(view(scopes.define(caller, ctx.pathParam("id"), b)));
            });
    api.route("GET", "/secrets/{id}/scopes", Scope.SECRETS_READ, "List the scopes of a secret")
        .answers(items(ref("SecretScope")))
        .handle(
            (ctx, caller) ->
                ctx.json(
                    Map.of(
                        "items",
                        scopes.list(caller, ctx.pathParam("id")).stream()
                            .map(ScopeRoutes::view)
                            .toList())));
    api.route(
            "DELETE",
            "/secrets/{id}/scopes/{name}",
            Scope.SECRETS_WRITE,
            "Delete a scope; tokens already issued keep their limits")
        .answers(object().req("status", constant("deleted")).req("name", string()))
        .handle(
            (ctx, caller) -> {
              scopes.delete(caller, ctx.pathParam("id"), ctx.pathParam("name"));
              ctx.json(Map.of("status", "deleted", "name", ctx.pathParam("name")));
            });
  }

  static Map<String, Object> view(SecretScope s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("secret_id", s.secretId());
    m.put("name", s.name());
    m.put("operations", Operation.wires(s.operations()));
    m.put("upstream", s.upstream().toMap());
    m.put("max_ttl", Durations.format(s.maxTtl()));
    m.put("max_uses", s.maxUses().orElse(null));
    m.put("max_amount", s.maxAmount().map(BigDecimal::toPlainString).orElse(null));
    m.put("amount_field", s.amountField().orElse(null));
    m.put("created_at", s.createdAt());
    return m;
  }
}
