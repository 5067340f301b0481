package io.secretsapi.server;

import static io.secretsapi.server.JsonSchema.items;
import static io.secretsapi.server.JsonSchema.ref;
import static io.secretsapi.server.JsonSchema.string;

import io.secretsapi.Durations;
import io.secretsapi.Required;
import io.secretsapi.access.AccessService;
import io.secretsapi.access.ApiKey;
import io.secretsapi.access.IssuedApiKey;
import io.secretsapi.access.Scope;
import io.secretsapi.access.ServiceAccount;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Control-plane identity routes: service accounts and their API keys. */
final class AccessRoutes {
  /** Body of {@code POST /service-accounts}. */
  record CreateAccount(@Required String name, String description) {}

  /** Body of {@code POST /api-keys}; {@code service_account_id} defaults to the caller's. */
  record CreateKey(
      String serviceAccountId,
      @Required String name,
      @Required List<String> scopes,
      String expiresIn) {}

  /** Body of {@code POST /api-keys/{id}/rotate}; optional. */
  record RotateKey(String grace) {}

  private AccessRoutes() {}

  static void register(Api api, AccessService access) {
    api.route("POST", "/service-accounts", Scope.KEYS_ADMIN, "Create a service account")
        .body(CreateAccount.class)
        .status(201)
        .answers(ref("ServiceAccount"))
        .handle(
            (ctx, caller) -> {
              CreateAccount b = Bodies.read(ctx, CreateAccount.class);
              ctx.status(201)
                  .json(account(access.createServiceAccount(caller, b.name(), b.description())));
            });
    api.anyKey(
            "GET",
            "/service-accounts",
            "List service accounts: all with keys:admin, else the caller's own; ?name= for one")
        .query("name", string(), "only the account of this name")
        .answers(items(ref("ServiceAccount")))
        .handle(
            (ctx, caller) -> {
              Optional<String> name = Bodies.query(ctx, "name");
              ctx.json(
                  Map.of(
                      "items",
                      access.listServiceAccounts(caller).stream()
                          .filter(a -> name.isEmpty() || a.name().equals(name.get()))
                          .map(AccessRoutes::account)
                          .toList()));
            });
    api.route(
            "POST",
            "/service-accounts/{id}/revoke",
            Scope.KEYS_ADMIN,
            "Revoke a service account, every key it holds and every grant made with them")
        .answers(ref("ServiceAccount"))
        .handle(
            (ctx, caller) ->
                ctx.json(account(access.revokeServiceAccount(caller, ctx.pathParam("id")))));
    api.anyKey("POST", "/api-keys", "Create an API key; the key is in this answer only, once")
        .body(CreateKey.class)
        .status(201)
        .answers(ref("IssuedApiKey"))
        .handle(
            (ctx, caller) -> {
              CreateKey b = Bodies.read(ctx, CreateKey.class);
              String account =
                  b.serviceAccountId() == null ? caller.serviceAccountId() : b.serviceAccountId();
              Optional<Duration> expires =
                  Optional.ofNullable(b.expiresIn()).map(e -> Durations.parse("expires_in", e));
              ctx.status(201)
                  .json(issued(access.createKey(caller, account, b.name(), b.scopes(), expires)));
            });
    api.anyKey(
            "GET",
            "/api-keys",
            "List API keys (never the keys themselves) of the caller's or a visible account;"
                + " ?name= for the keys of that name")
        .query("service_account_id", string(), "the account whose keys to list")
        .query("name", string(), "only the keys of this name")
        .answers(items(ref("ApiKey")))
        .handle(
            (ctx, caller) -> {
              Optional<String> name = Bodies.query(ctx, "name");
              var keys = access.listKeys(caller, Bodies.query(ctx, "service_account_id"));
              ctx.json(
                  Map.of(
                      "items",
                      keys.stream()
                          .filter(k -> name.isEmpty() || k.name().equals(name.get()))
                          .map(AccessRoutes::key)
                          .toList()));
            });
    api.anyKey("GET", "/api-keys/{id}", "Show one API key: status, scopes, last use, use count")
        .answers(ref("ApiKey"))
        .handle((ctx, caller) -> ctx.json(key(access.getKey(caller, ctx.pathParam("id")))));
    api.anyKey(
            "POST",
            "/api-keys/{id}/rotate",
            "Replace a key: the new key is in this answer once; the old is revoked")
        .optionalBody(RotateKey.class)
        .answers(ref("IssuedApiKey"))
        .handle(
            (ctx, caller) -> {
              RotateKey b = Bodies.readOptional(ctx, RotateKey.class).orElse(new RotateKey(null));
              Optional<Duration> grace =
                  Optional.ofNullable(b.grace()).map(g -> Durations.parse("grace", g));
              ctx.json(issued(access.rotateKey(caller, ctx.pathParam("id"), grace)));
            });
    api.anyKey("POST", "/api-keys/{id}/revoke", "Revoke a key at once")
        .answers(ref("ApiKey"))
        .handle((ctx, caller) -> ctx.json(key(access.revokeKey(caller, ctx.pathParam("id")))));
  }

  static Map<String, Object> account(ServiceAccount a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", a.id());
    m.put("name", a.name());
    m.put("description", a.description());
    m.put("created_at", a.createdAt());
    m.put("status", a.status());
    m.put("revoked_at", a.revokedAt().orElse(null));
    return m;
  }

  static Map<String, Object> key(ApiKey k) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", k.id());
    m.put("service_account_id", k.serviceAccountId());
    m.put("name", k.name());
    m.put("scopes", k.scopes().stream().map(Scope::wire).toList());
    m.put("status", k.status());
    m.put("created_at", k.createdAt());
    m.put("expires_at", k.expiresAt().orElse(null));
    m.put("revoked_at", k.revokedAt().orElse(null));
    m.put("last_used_at", k.lastUsedAt().orElse(null));
    m.put("use_count", k.useCount());
    m.put("replaces", k.replaces().orElse(null));
    m.put("replaced_by", k.replacedBy().orElse(null));
    return m;
  }

  private static Map<String, Object> issued(IssuedApiKey issued) {
    Map<String, Object> m = key(issued.key());
    m.put("key", issued.plaintext());
    m.put("notice", "this key is shown once: store it now; the broker keeps only its hash");
    return m;
  }
}
