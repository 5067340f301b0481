package io.secretsapi.server;

import static io.secretsapi.server.JsonSchema.array;
import static io.secretsapi.server.JsonSchema.bool;
import static io.secretsapi.server.JsonSchema.constant;
import static io.secretsapi.server.JsonSchema.integer;
import static io.secretsapi.server.JsonSchema.items;
import static io.secretsapi.server.JsonSchema.object;
import static io.secretsapi.server.JsonSchema.oneOfStrings;
import static io.secretsapi.server.JsonSchema.ref;
import static io.secretsapi.server.JsonSchema.string;
import static io.secretsapi.server.JsonSchema.time;

import io.secretsapi.Durations;
import io.secretsapi.Required;
import io.secretsapi.ValidationException;
import io.secretsapi.access.Scope;
import io.secretsapi.proxy.Injection;
import io.secretsapi.rotation.RotationJob;
import io.secretsapi.rotation.RotationService;
import io.secretsapi.rotation.Trigger;
import io.secretsapi.secret.NewSecret;
import io.secretsapi.secret.Rotation;
import io.secretsapi.secret.SecretFilter;
import io.secretsapi.secret.SecretPage;
import io.secretsapi.secret.Vault;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The vault's HTTP routes: store, list, show (masked), version, rotate and seal secrets. */
final class SecretRoutes {
  /** Body of {@code POST /secrets}. */
  record CreateSecret(
      @Required String name,
      @Required String provider,
      @Required String resourceClass,
      @Required String environment,
      String owner,
      List<String> tags,
      String value,
      String kind,
      Injection.Spec injection) {
    @Override
    public String toString() {
      return "CreateSecret[name=" + name + ", value=<redacted>]";
    }
  }

  /** Body of {@code PUT /secrets/{id}/value}. */
  record PutValue(@Required String value) {
    @Override
    public String toString() {
      return "PutValue[value=<redacted>]";
    }
  }

  /**
   * Body of {@code POST /secrets/{id}/rotate}; every field is optional. {@code reason} is for a
   * rotation queued through the rotation engine.
   */
  record Rotate(String value, String grace, String reason) {
    @Override
    public String toString() {
      return "Rotate[grace=" + grace + ", reason=" + reason + ", value=<redacted>]";
    }
  }

  private SecretRoutes() {}

  static void register(Api api, Vault vault) {
    register(api, vault, Optional.empty());
  }

  /**
   * The vault's routes; with {@code rotations}, {@code POST /secrets/{id}/rotate} without a value
   * queues through the rotation engine when the secret has rotation settings or the request an
   * {@code Idempotency-Key}, and answers 202.
   */
  static void register(Api api, Vault vault, Optional<RotationService> rotations) {
    api.route(
            "POST",
            "/secrets",
            Scope.SECRETS_WRITE,
            "Store a secret, sealed; answers its masked view")
        .body(CreateSecret.class)
        .status(201)
        .answers(ref("Secret"))
        .handle(
            (ctx, caller) -> {
              CreateSecret b = Bodies.read(ctx, CreateSecret.class);
              var in =
                  new NewSecret(
                      b.name(),
                      b.provider(),
                      b.resourceClass(),
                      b.environment(),
                      b.owner(),
                      b.tags(),
                      b.value(),
                      b.kind(),
                      b.injection());
              ctx.status(201).json(vault.create(caller, in));
            });
    api.route(
            "GET",
            "/secrets",
            Scope.SECRETS_READ,
            "List secrets (masked), filtered, sorted by last access, paged")
        .query("name", string(), "only secrets of this name (exact)")
        .query("resource_class", string(), "only secrets of this resource class")
        .query("environment", string(), "only secrets of this environment")
        .query("provider", string(), "only secrets of this provider")
        .query("owner", string(), "only secrets of this owner team")
        .query("status", oneOfStrings("active", "sealed"), "active unless said")
        .query("sort", string(), "last_access (default), name or created")
        .query("limit", integer(), "at most this many items, 1 to 500 (default 50)")
        .query("cursor", string(), "the next_cursor of the page before, same filters and sort")
        .query(
            "offset",
            integer(),
            "skip this many items (default 0); costs in proportion to the depth: follow"
                + " next_cursor")
        .answers(
            items(ref("Secret"))
                .req("total", integer())
                .req("total_exact", bool())
                .req("limit", integer())
                .req("offset", integer())
                .req("showing", string("such as showing 8 of 142, or of 10000+"))
                .nul("next_cursor", string("the cursor of the next page; null on the last page")))
        .handle((ctx, caller) -> ctx.json(page(vault.list(caller, filter(ctx)))));
    api.route(
            "GET",
            "/secrets/{id}",
            Scope.SECRETS_READ,
            "Show one secret: metadata and masked value, never the value")
        .answers(ref("Secret"))
        .handle((ctx, caller) -> ctx.json(vault.get(caller, ctx.pathParam("id"))));
    api.route(
            "PUT",
            "/secrets/{id}/value",
            Scope.SECRETS_WRITE,
            "Replace the value: a new version; the old is sealed")
        .body(PutValue.class)
        .answers(ref("Secret"))
        .handle(
            (ctx, caller) -> {
              PutValue b = Bodies.read(ctx, PutValue.class);
              ctx.json(vault.putValue(caller, ctx.pathParam("id"), b.value()));
            });
    api.route(
            "PUT",
            "/secrets/{id}/injection",
            Scope.SECRETS_WRITE,
            "Set where the proxy injects the value: a header template, HTTP basic or a query"
                + " parameter")
        .body(Injection.Spec.class)
        .answers(ref("Secret"))
        .handle(
            (ctx, caller) -> {
              Injection.Spec b = Bodies.read(ctx, Injection.Spec.class, "injection.");
              ctx.json(vault.setInjection(caller, ctx.pathParam("id"), Optional.of(b)));
            });
    api.route(
            "DELETE",
            "/secrets/{id}/injection",
            Scope.SECRETS_WRITE,
            "Inject the value as the provider's preset says again")
        .answers(ref("Secret"))
        .handle(
            (ctx, caller) ->
                ctx.json(vault.setInjection(caller, ctx.pathParam("id"), Optional.empty())));
    api.route(
            "GET",
            "/secrets/{id}/versions",
            Scope.SECRETS_READ,
            "List a secret's versions and their states")
        .answers(object().req("secret_id", string()).req("versions", array(ref("SecretVersion"))))
        .handle(
            (ctx, caller) -> {
              String id = ctx.pathParam("id");
              ctx.json(Map.of("secret_id", id, "versions", vault.versions(caller, id)));
            });
    api.route(
            "POST",
            "/secrets/{id}/rotate",
            Scope.SECRETS_WRITE,
            "Rotate: a new current version; the old stays previous for the grace window, then is sealed")
        .optionalBody(Rotate.class)
        .answers(
            object()
                .req("status", constant("rotated"))
                .req("secret_id", string())
                .req("version", integer())
                .nul("previous_version", integer())
                .nul("grace_until", time())
                .req("secret", ref("Secret")))
        .answersWith(
            202,
            "application/json",
            object()
                .req("status", constant("queued"))
                .req("secret_id", string())
                .req("rotation_id", string())
                .req("rotation", RotationRoutes.rotationSchema().build())
                .build())
        .header(
            "Idempotency-Key",
            "queue through the rotation engine; a retry with the same key is the same rotation")
        .example(Examples.ROTATE_REQUEST, Examples.rotateAnswer())
        .handle(
            (ctx, caller) -> {
              Rotate b =
                  Bodies.readOptional(ctx, Rotate.class).orElse(new Rotate(null, null, null));
              Optional<String> key = Optional.ofNullable(ctx.header("Idempotency-Key"));
              String id = ctx.pathParam("id");
              if (rotations.isPresent()
                  && b.value() == null
                  && (key.isPresent() || rotations.get().settings(caller, id).isPresent())) {
                if (b.grace() != null) {
                  throw new ValidationException(
                      "grace",
                      "not_allowed",
                      "grace of a queued rotation comes from the secret's rotation settings"
                          + " (PUT /secrets/{id}/rotation)");
                }
                RotationJob j =
                    rotations.get().queue(caller, id, Trigger.OPERATOR, b.reason(), key);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("status", "queued");
                m.put("secret_id", id);
                m.put("rotation_id", j.id());
                m.put("rotation", RotationRoutes.json(j));
                ctx.status(202).json(m);
                return;
              }
              if (b.reason() != null) {
                throw new ValidationException(
                    "reason",
                    "not_allowed",
                    "reason is for a rotation queued through the rotation engine; set the"
                        + " secret's rotation settings or send an Idempotency-Key");
              }
              Optional<Duration> grace =
                  Optional.ofNullable(b.grace()).map(g -> Durations.parse("grace", g));
              ctx.json(
                  rotation(
                      vault.rotate(
                          caller, ctx.pathParam("id"), Optional.ofNullable(b.value()), grace)));
            });
    api.route(
            "DELETE",
            "/secrets/{id}",
            Scope.SECRETS_WRITE,
            "Seal every version: nothing can read the secret again")
        .answers(ref("Secret"))
        .handle((ctx, caller) -> ctx.json(vault.delete(caller, ctx.pathParam("id"))));
  }

  private static SecretFilter filter(io.javalin.http.Context ctx) {
    return new SecretFilter(
        Bodies.query(ctx, "resource_class"),
        Bodies.query(ctx, "environment"),
        Bodies.query(ctx, "provider"),
        Bodies.query(ctx, "owner"),
        Bodies.query(ctx, "status").orElse("active"),
        Bodies.query(ctx, "sort").orElse("last_access"),
        Bodies.queryInt(ctx, "limit", 50),
        Bodies.queryInt(ctx, "offset", 0),
        Bodies.query(ctx, "name"),
        Bodies.query(ctx, "cursor"));
  }

  private static Map<String, Object> page(SecretPage p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("items", p.items());
    m.put("total", p.total());
    m.put("total_exact", p.totalExact());
    m.put("limit", p.limit());
    m.put("offset", p.offset());
    m.put("showing", p.summary());
    m.put("next_cursor", p.nextCursor().orElse(null));
    return m;
  }

  private static Map<String, Object> rotation(Rotation r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", "rotated");
    m.put("secret_id", r.secret().id());
    m.put("version", r.version());
    m.put("previous_version", r.previousVersion().orElse(null));
    m.put("grace_until", r.graceUntil().orElse(null));
    m.put("secret", r.secret());
    return m;
  }
}
