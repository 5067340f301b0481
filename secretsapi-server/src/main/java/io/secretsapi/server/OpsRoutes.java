package io.secretsapi.server;

import static io.secretsapi.server.JsonSchema.array;
import static io.secretsapi.server.JsonSchema.bool;
import static io.secretsapi.server.JsonSchema.constant;
import static io.secretsapi.server.JsonSchema.integer;
import static io.secretsapi.server.JsonSchema.object;
import static io.secretsapi.server.JsonSchema.oneOfStrings;
import static io.secretsapi.server.JsonSchema.openObject;
import static io.secretsapi.server.JsonSchema.string;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.secretsapi.BrokerCore;
import io.secretsapi.access.Scope;
import io.secretsapi.crypto.Envelope;
import io.secretsapi.secret.Vault;
import io.secretsapi.storage.Database;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** Operations routes: health, metrics, the API description, and the KEK rotation. */
final class OpsRoutes {
  private OpsRoutes() {}

  static void register(
      Api api,
      Database db,
      Envelope envelope,
      Vault vault,
      BrokerCore core,
      PrometheusMeterRegistry metrics,
      Supplier<String> openApi) {
    // The probes (Probes.ENDPOINTS) are counted, not audited: design 0019.
    api.probe("/health/live", "Liveness: the process answers")
        .answers(object().req("status", constant("live")))
        .serve(ctx -> ctx.json(Map.of("status", "live")));
    Map<String, Object> readiness =
        object()
            .req("status", oneOfStrings("ready", "not_ready"))
            .req("store", oneOfStrings("reachable", "unreachable"))
            .req("store_dialect", string())
            .req("kek", oneOfStrings("loaded", "missing", "stale"))
            .opt("kek_key_id_missing", integer())
            .opt("revocations", string("the revocation kinds this node does not know"))
            .req("leader", bool())
            .build();
    api.probe(
            "/health/ready",
            "Readiness: the store answers and the key-encryption key is loaded and opens every data"
                + " key")
        .answers(readiness)
        .answersWith(503, "application/json", readiness)
        .serve(
            ctx -> {
              boolean store = db.isReachable();
              boolean loaded = envelope.kek() != null;
              Optional<Long> missing = core.missingKek();
              Set<String> unknown = core.unknownRevocationKinds();
              boolean ready = store && loaded && missing.isEmpty() && unknown.isEmpty();
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("status", ready ? "ready" : "not_ready");
              body.put("store", store ? "reachable" : "unreachable");
              body.put("store_dialect", db.dialect().name().toLowerCase());
              body.put("kek", !loaded ? "missing" : missing.isPresent() ? "stale" : "loaded");
              missing.ifPresent(id -> body.put("kek_key_id_missing", id));
              if (!unknown.isEmpty()) {
                body.put("revocations", "unknown kinds " + new java.util.TreeSet<>(unknown));
              }
              body.put("leader", core.leadership().leads());
              ctx.status(ready ? 200 : 503).json(body);
            });
    api.probe(
            "/metrics",
            "Prometheus metrics: requests, grants and refusals, the audit commit, the proxy's"
                + " upstreams, revocation lag, webhooks, event streams, JVM and process"
                + " (docs/metrics.md)")
        .answersWith(200, "text/plain", string("the Prometheus text exposition format 0.0.4"))
        .serve(
            ctx ->
                ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(metrics.scrape()));
    api.open("GET", "/openapi.json", "This API, described in OpenAPI 3.1")
        .answers(openObject("an OpenAPI 3.1 document"))
        .serve(ctx -> ctx.contentType("application/json").result(openApi.get()));
    api.route(
            "POST",
            "/admin/kek/rotate",
            Scope.ADMIN,
            "Rotate the key-encryption key: a new key wraps every data key again; the old key is dropped")
        .answers(
            object()
                .req("status", constant("rotated"))
                .req("kek_key_id", integer())
                .req("retired_key_ids", array(integer()))
                .req("rewrapped", integer()))
        .handle(
            (ctx, caller) -> {
              var r = vault.rotateKek();
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("status", "rotated");
              body.put("kek_key_id", r.newKeyId());
              body.put("retired_key_ids", r.retiredKeyIds());
              body.put("rewrapped", r.rewrapped());
              ctx.json(body);
            });
  }
}
