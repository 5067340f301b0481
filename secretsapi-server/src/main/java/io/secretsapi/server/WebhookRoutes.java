package io.secretsapi.server;

import static io.secretsapi.server.JsonSchema.items;
import static io.secretsapi.server.JsonSchema.ref;
import static io.secretsapi.server.JsonSchema.string;

import io.secretsapi.Required;
import io.secretsapi.access.Scope;
import io.secretsapi.events.Webhook;
import io.secretsapi.events.WebhookDelivery;
import io.secretsapi.events.Webhooks;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Webhook subscriptions and their delivery log. */
final class WebhookRoutes {
  /** Body of {@code POST /webhooks}. */
  record CreateWebhook(@Required String url, @Required List<String> events) {}

  private WebhookRoutes() {}

  static void register(Api api, Webhooks hooks) {
    api.route(
            "POST",
            "/webhooks",
            Scope.EVENTS_READ,
            "Subscribe a URL to event families or record types; the signing secret is in this"
                + " answer only, once")
        .body(CreateWebhook.class)
        .status(201)
        .answers(Schemas.createdWebhook())
        .handle(
            (ctx, caller) -> {
              CreateWebhook b = Bodies.read(ctx, CreateWebhook.class);
              Webhooks.Created c = hooks.create(caller, b.url(), b.events());
              Map<String, Object> m = webhook(c.webhook());
              m.put("secret", c.secret());
              m.put(
                  "signature",
                  "header SecretsAPI-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of"
                      + " \"<t>.<body>\" keyed with the secret>");
              ctx.status(201).json(m);
            });
    api.route(
            "GET",
            "/webhooks",
            Scope.EVENTS_READ,
            "The caller's webhook subscriptions; ?url= for those of that URL")
        .query("url", string(), "only the subscriptions to this URL")
        .answers(items(ref("Webhook")))
        .handle(
            (ctx, caller) -> {
              java.util.Optional<String> url = Bodies.query(ctx, "url");
              ctx.json(
                  Map.of(
                      "items",
                      hooks.list(caller).stream()
                          .filter(w -> url.isEmpty() || w.url().equals(url.get()))
                          .map(WebhookRoutes::webhook)
                          .toList()));
            });
    api.route("GET", "/webhooks/{id}", Scope.EVENTS_READ, "One webhook subscription")
        .answers(ref("Webhook"))
        .handle((ctx, caller) -> ctx.json(webhook(hooks.get(caller, ctx.pathParam("id")))));
    api.route(
            "DELETE",
            "/webhooks/{id}",
            Scope.EVENTS_READ,
            "Delete a subscription, its secret and its delivery log")
        .status(204)
        .noContent()
        .handle(
            (ctx, caller) -> {
              hooks.delete(caller, ctx.pathParam("id"));
              ctx.status(204);
            });
    api.route(
            "GET",
            "/webhooks/{id}/deliveries",
            Scope.EVENTS_READ,
            "The delivery log, newest first: each attempt with its outcome, HTTP status and error")
        .query("limit", JsonSchema.integer(), "at most this many (default 100)")
        .answers(items(ref("WebhookDelivery")))
        .handle(
            (ctx, caller) ->
                ctx.json(
                    Map.of(
                        "items",
                        hooks
                            .deliveries(
                                caller, ctx.pathParam("id"), Bodies.queryInt(ctx, "limit", 100))
                            .stream()
                            .map(WebhookRoutes::delivery)
                            .toList())));
  }

  private static Map<String, Object> webhook(Webhook w) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", w.id());
    m.put("url", w.url());
    m.put("events", w.events());
    m.put("status", w.status());
    m.put("cursor", w.cursor());
    m.put("created_at", w.createdAt().toString());
    return m;
  }

  private static Map<String, Object> delivery(WebhookDelivery d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", d.id());
    m.put("audit_ref", io.secretsapi.audit.AuditLog.ref(d.auditOffset()));
    m.put("attempt", d.attempt());
    m.put("outcome", d.outcome());
    m.put("http_status", d.httpStatus().orElse(null));
    m.put("error", d.error().orElse(null));
    m.put("duration_ms", d.durationMs());
    m.put("at", d.at().toString());
    return m;
  }
}
