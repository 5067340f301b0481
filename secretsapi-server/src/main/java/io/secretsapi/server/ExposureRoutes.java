package io.secretsapi.server;

import static io.secretsapi.server.JsonSchema.array;
import static io.secretsapi.server.JsonSchema.bool;
import static io.secretsapi.server.JsonSchema.integer;
import static io.secretsapi.server.JsonSchema.nullable;
import static io.secretsapi.server.JsonSchema.object;
import static io.secretsapi.server.JsonSchema.oneOfStrings;
import static io.secretsapi.server.JsonSchema.string;
import static io.secretsapi.server.JsonSchema.strings;
import static io.secretsapi.server.JsonSchema.time;

import io.secretsapi.Required;
import io.secretsapi.access.Scope;
import io.secretsapi.exposure.Exposure;
import io.secretsapi.exposure.ExposureService;
import io.secretsapi.exposure.Factor;
import io.secretsapi.exposure.SecretExposure;
import io.secretsapi.exposure.Threshold;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Exposure scores, their history and replay, and thresholds (docs/exposure.md, design 0027). */
final class ExposureRoutes {
  /** Body of {@code PUT /exposure/thresholds}. */
  record SetThreshold(
      @Required String targetKind,
      @Required String target,
      @Required Double threshold,
      String action) {}

  private static final Map<String, Object> NUMBER = Map.of("type", "number");

  private ExposureRoutes() {}

  static void register(Api api, ExposureService exposure) {
    api.route(
            "GET",
            "/exposure",
            Scope.SECRETS_READ,
            "Secrets (or live tokens, ?kind=token) ranked by exposure score, each explained: its"
                + " factors, weights and values, and its drift over the window")
        .query("kind", oneOfStrings("secret", "token"), "secret (default) or token")
        .query("limit", integer(), "at most this many, 1 to 500 (default 50)")
        .answers(
            object()
                .req("enabled", bool())
                .req("window_seconds", NUMBER)
                .req("items", array(exposureSchema())))
        .handle(
            (ctx, caller) -> {
              String kind = Bodies.query(ctx, "kind").orElse("secret");
              List<Exposure> items =
                  exposure.ranked(caller, kind, Bodies.queryInt(ctx, "limit", 50));
              Map<String, Object> m = new LinkedHashMap<>();
              m.put("enabled", exposure.settings().enabled());
              m.put("window_seconds", exposure.settings().window().toMillis() / 1000.0);
              m.put("items", items.stream().map(ExposureRoutes::exposure).toList());
              ctx.json(m);
            });
    api.route(
            "GET",
            "/secrets/{id}/exposure",
            Scope.SECRETS_READ,
            "A secret's exposure score now, its history (newest first) and its exposure replay"
                + " (EX- events)")
        .query("limit", integer(), "at most this many samples and events, 1 to 500 (default 50)")
        .answers(
            object()
                .req("secret_id", string())
                .req("current", nullable(exposureSchema()))
                .req(
                    "history",
                    array(
                        object()
                            .req("at", time())
                            .req("score", NUMBER)
                            .req("delta", NUMBER)
                            .req("factors", array(factorSchema()))
                            .build()))
                .req(
                    "replay",
                    array(
                        object()
                            .req("id", string("EX- and the record's offset"))
                            .req("at", time())
                            .req("type", string())
                            .req("title", string())
                            .req("detail", string())
                            .req("audit_ref", string())
                            .build())))
        .handle(
            (ctx, caller) -> {
              SecretExposure s =
                  exposure.secret(caller, ctx.pathParam("id"), Bodies.queryInt(ctx, "limit", 50));
              Map<String, Object> m = new LinkedHashMap<>();
              m.put("secret_id", s.secretId());
              m.put("current", s.current().map(ExposureRoutes::exposure).orElse(null));
              m.put(
                  "history",
                  s.history().stream()
                      .map(
                          p -> {
                            Map<String, Object> h = new LinkedHashMap<>();
                            h.put("at", p.at().toString());
                            h.put("score", p.score());
                            h.put("delta", p.delta());
                            h.put(
                                "factors",
                                p.factors().stream().map(ExposureRoutes::factor).toList());
                            return h;
                          })
                      .toList());
              m.put(
                  "replay",
                  s.replay().stream()
                      .map(
                          r -> {
                            Map<String, Object> e = new LinkedHashMap<>();
                            e.put("id", r.id());
                            e.put("at", r.at().toString());
                            e.put("type", r.type());
                            e.put("title", r.title());
                            e.put("detail", r.detail());
                            e.put("audit_ref", r.auditRef());
                            return e;
                          })
                      .toList());
              ctx.json(m);
            });
    api.route(
            "GET",
            "/exposure/thresholds",
            Scope.SECRETS_READ,
            "The exposure thresholds set per secret, policy or resource class, and the default")
        .answers(object().req("default", thresholdSchema()).req("items", array(thresholdSchema())))
        .handle(
            (ctx, caller) -> {
              List<Threshold> set = exposure.thresholds(caller);
              Map<String, Object> d = new LinkedHashMap<>();
              d.put("target_kind", "default");
              d.put("target", "*");
              d.put("threshold", exposure.settings().threshold());
              d.put("action", exposure.settings().action());
              ctx.json(
                  Map.of(
                      "default", d, "items", set.stream().map(ExposureRoutes::threshold).toList()));
            });
    api.route(
            "PUT",
            "/exposure/thresholds",
            Scope.SECRETS_WRITE,
            "Set the exposure threshold of a secret (its owner), a policy or a resource class"
                + " (policies:write); a score reaching it queues a rotation (or raises an incident)"
                + " once per crossing")
        .body(SetThreshold.class)
        .answers(thresholdSchema())
        .handle(
            (ctx, caller) -> {
              SetThreshold b = Bodies.read(ctx, SetThreshold.class);
              Threshold t =
                  exposure.setThreshold(
                      caller,
                      new Threshold(
                          b.targetKind(),
                          b.target(),
                          b.threshold(),
                          b.action() == null ? "rotate" : b.action()));
              ctx.json(threshold(t));
            });
  }

  private static Map<String, Object> exposureSchema() {
    return object()
        .req("kind", oneOfStrings("secret", "token"))
        .req("id", string())
        .req("secret_id", string())
        .req("score", NUMBER)
        .req("delta", NUMBER)
        .req("delta_window_seconds", NUMBER)
        .req("threshold", NUMBER)
        .req("threshold_source", oneOfStrings("secret", "policy", "resource_class", "default"))
        .req("factors", array(factorSchema()))
        .req(
            "drift",
            object()
                .req("callers", strings())
                .req("hosts", strings())
                .req("networks", strings())
                .build())
        .req("at", time())
        .build();
  }

  private static Map<String, Object> factorSchema() {
    return object()
        .req("name", string())
        .req("weight", NUMBER)
        .req("value", NUMBER)
        .req("contribution", NUMBER)
        .req("detail", string())
        .build();
  }

  private static Map<String, Object> thresholdSchema() {
    return object()
        .req("target_kind", oneOfStrings("secret", "resource_class", "policy", "default"))
        .req("target", string())
        .req("threshold", NUMBER)
        .req("action", oneOfStrings("rotate", "incident"))
        .build();
  }

  static Map<String, Object> exposure(Exposure x) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", x.kind());
    m.put("id", x.id());
    m.put("secret_id", x.secretId());
    m.put("score", x.score());
    m.put("delta", x.delta());
    m.put("delta_window_seconds", x.deltaWindowSeconds());
    m.put("threshold", x.threshold());
    m.put("threshold_source", x.thresholdSource());
    m.put("factors", x.factors().stream().map(ExposureRoutes::factor).toList());
    m.put(
        "drift",
        Map.of(
            "callers", x.drift().callers(),
            "hosts", x.drift().hosts(),
            "networks", x.drift().networks()));
    m.put("at", x.at().toString());
    return m;
  }

  private static Map<String, Object> factor(Factor f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", f.name());
    m.put("weight", f.weight());
    m.put("value", f.value());
    m.put("contribution", Math.round(f.contribution() * 1000) / 1000.0);
    m.put("detail", f.detail());
    return m;
  }

  private static Map<String, Object> threshold(Threshold t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("target_kind", t.targetKind());
    m.put("target", t.target());
    m.put("threshold", t.threshold());
    m.put("action", t.action());
    return m;
  }
}
