package io.secretsapi.server;

import static io.secretsapi.server.JsonSchema.array;
import static io.secretsapi.server.JsonSchema.integer;
import static io.secretsapi.server.JsonSchema.nullable;
import static io.secretsapi.server.JsonSchema.object;
import static io.secretsapi.server.JsonSchema.oneOfStrings;
import static io.secretsapi.server.JsonSchema.string;
import static io.secretsapi.server.JsonSchema.strings;
import static io.secretsapi.server.JsonSchema.time;

import io.secretsapi.Durations;
import io.secretsapi.access.Scope;
import io.secretsapi.rotation.RotationJob;
import io.secretsapi.rotation.RotationService;
import io.secretsapi.rotation.RotationSettings;
import io.secretsapi.rotation.RotationState;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The rotation engine's HTTP routes: a secret's rotation settings, and the {@code ROT-} queue.
 * Queueing itself is {@code POST /secrets/{id}/rotate} ({@link SecretRoutes}).
 */
final class RotationRoutes {
  static final String[] STATES = {
    "queued", "pending", "validated", "promoted", "previous", "sealed", "failed"
  };

  private RotationRoutes() {}

  static void register(Api api, RotationService rotations) {
    api.route(
            "PUT",
            "/secrets/{id}/rotation",
            Scope.SECRETS_WRITE,
            "Set how a secret is rotated: its rotator (generated, webhook, postgresql) and that"
                + " rotator's settings, the grace window, and the schedule")
        .body(RotationSettings.Input.class)
        .answers(settingsSchema().opt("signing_secret", string("webhook rotator only; shown once")))
        .example(
            Map.of("rotator", "generated", "length", 40, "alphabet", "alnum", "grace", "1h"),
            settingsExample())
        .handle(
            (ctx, caller) -> {
              RotationService.Configured c =
                  rotations.configure(
                      caller, ctx.pathParam("id"), Bodies.read(ctx, RotationSettings.Input.class));
              Map<String, Object> m = json(c.settings());
              c.signingSecret().ifPresent(s -> m.put("signing_secret", s));
              ctx.json(m);
            });
    api.route(
            "GET",
            "/secrets/{id}/rotation",
            Scope.SECRETS_READ,
            "A secret's rotation settings; rotator none when it has none")
        .answers(settingsSchema())
        .handle(
            (ctx, caller) -> {
              String id = ctx.pathParam("id");
              ctx.json(
                  rotations
                      .settings(caller, id)
                      .map(RotationRoutes::json)
                      .orElseGet(
                          () -> {
                            Map<String, Object> none = new LinkedHashMap<>();
                            none.put("secret_id", id);
                            none.put("rotator", "none");
                            return none;
                          }));
            });
    api.route(
            "GET",
            "/rotations",
            Scope.SECRETS_READ,
            "The rotation queue, newest first: of one secret, in one state")
        .query("secret_id", string(), "only rotations of this secret")
        .query("state", oneOfStrings(STATES), "only rotations in this state")
        .query("limit", integer(), "at most this many (1 to 500, default 50)")
        .answers(object().req("items", array(rotationSchema().build())))
        .handle(
            (ctx, caller) -> {
              Optional<RotationState> state =
                  Bodies.query(ctx, "state").map(s -> RotationState.parse("state", s));
              var items =
                  rotations
                      .list(
                          caller,
                          Bodies.query(ctx, "secret_id"),
                          state,
                          Bodies.queryInt(ctx, "limit", 50))
                      .stream()
                      .map(RotationRoutes::json)
                      .toList();
              ctx.json(Map.of("items", items));
            });
    api.route("GET", "/rotations/{id}", Scope.SECRETS_READ, "One rotation and where it stands")
        .answers(rotationSchema())
        .example(null, rotationExample())
        .handle((ctx, caller) -> ctx.json(json(rotations.get(caller, ctx.pathParam("id")))));
  }

  static JsonSchema.Obj rotationSchema() {
    return object()
        .req("id", string("ROT- and random characters"))
        .req("secret_id", string())
        .req("trigger", oneOfStrings("operator", "schedule", "exposure", "incident"))
        .req("reason", string())
        .req("requested_by", string())
        .req("rotator", oneOfStrings("generated", "webhook", "postgresql"))
        .req("state", oneOfStrings(STATES))
        .req("from_version", nullable(integer()))
        .req("to_version", nullable(integer()))
        .req("grace", string())
        .req("grace_until", nullable(time()))
        .req("failure", nullable(string()))
        .req("attempts", integer())
        .req("created_at", time())
        .req("updated_at", time());
  }

  static JsonSchema.Obj settingsSchema() {
    return object()
        .req("secret_id", string())
        .req("rotator", oneOfStrings("generated", "webhook", "postgresql", "none"))
        .opt("grace", string())
        .opt("every", nullable(string()))
        .opt("cron", nullable(string()))
        .opt("next_due_at", nullable(time()))
        .opt("length", nullable(integer()))
        .opt("alphabet", nullable(string()))
        .opt("webhook_url", nullable(string()))
        .opt("timeout", string())
        .opt("postgres_url", nullable(string()))
        .opt("postgres_roles", strings())
        .opt("postgres_admin_secret", nullable(string()))
        .opt("requested_by", string())
        .opt("updated_at", time());
  }

  static Map<String, Object> json(RotationJob r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", r.id());
    m.put("secret_id", r.secretId());
    m.put("trigger", r.trigger().wire());
    m.put("reason", r.reason());
    m.put("requested_by", r.requestedBy());
    m.put("rotator", r.rotator());
    m.put("state", r.state().wire());
    m.put("from_version", r.fromVersion().orElse(null));
    m.put("to_version", r.toVersion().orElse(null));
    m.put("grace", Durations.format(r.grace()));
    m.put("grace_until", r.graceUntil().map(Object::toString).orElse(null));
    m.put("failure", r.failure().orElse(null));
    m.put("attempts", r.attempts());
    m.put("created_at", r.createdAt().toString());
    m.put("updated_at", r.updatedAt().toString());
    return m;
  }

  static Map<String, Object> json(RotationSettings s) {
    Map<String, Object> m = new LinkedHashMap<>();
    boolean generated = s.rotator().equals("generated");
    m.put("secret_id", s.secretId());
    m.put("rotator", s.rotator());
    m.put("grace", Durations.format(s.grace()));
    m.put("every", s.every().isZero() ? null : Durations.format(s.every()));
    m.put("cron", s.cron().orElse(null));
    m.put("next_due_at", s.nextDueAt().map(Object::toString).orElse(null));
    m.put("length", generated ? s.length() : null);
    m.put("alphabet", generated ? s.alphabet() : null);
    m.put("webhook_url", s.webhookUrl().orElse(null));
    m.put("timeout", Durations.format(s.timeout()));
    m.put("postgres_url", s.postgresUrl().orElse(null));
    m.put("postgres_roles", s.postgresRoles());
    m.put("postgres_admin_secret", s.postgresAdminSecret().orElse(null));
    m.put("requested_by", s.requestedBy());
    m.put("updated_at", s.updatedAt().toString());
    return m;
  }

  private static Map<String, Object> settingsExample() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("secret_id", "sec_7fa91c");
    m.put("rotator", "generated");
    m.put("grace", "1h");
    m.put("every", null);
    m.put("cron", null);
    m.put("next_due_at", null);
    m.put("length", 40);
    m.put("alphabet", "alnum");
    m.put("webhook_url", null);
    m.put("timeout", "10s");
    m.put("postgres_url", null);
    m.put("postgres_roles", java.util.List.of());
    m.put("postgres_admin_secret", null);
    m.put("requested_by", "ai-platform");
    m.put("updated_at", "2026-12-07T14:33:02Z");
    return m;
  }

  static Map<String, Object> rotationExample() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", "ROT-1182");
    m.put("secret_id", "sec_7fa91c");
    m.put("trigger", "operator");
    m.put("reason", "quarterly rotation");
    m.put("requested_by", "ai-platform");
    m.put("rotator", "generated");
    m.put("state", "previous");
    m.put("from_version", 3);
    m.put("to_version", 4);
    m.put("grace", "1h");
    m.put("grace_until", "2026-12-07T15:33:02Z");
    m.put("failure", null);
    m.put("attempts", 0);
    m.put("created_at", "2026-12-07T14:33:02Z");
    m.put("updated_at", "2026-12-07T14:33:03Z");
    return m;
  }
}
