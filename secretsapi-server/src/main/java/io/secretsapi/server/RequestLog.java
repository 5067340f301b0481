package io.secretsapi.server;

import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.secretsapi.access.Caller;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After each request: one JSON line in the access log and one observation in the per-route latency
 * histogram. The line holds the method, the route template, status, duration, request id and the
 * API key id: never a header, a query value or a body, so never a secret.
 */
final class RequestLog {
  private static final Logger ACCESS = LoggerFactory.getLogger("secretsapi.access");
  private final MeterRegistry metrics;

  /**
   * The timers by method, route template and status: a bounded set, looked up here rather than
   * built and registered anew on every request.
   */
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  RequestLog(MeterRegistry metrics) {
    this.metrics = metrics;
  }

  void record(Context ctx, float millis) {
    String route = route(ctx);
    int status = ctx.statusCode();
    String method = ctx.method().name();
    timers
        .computeIfAbsent(
            method + ' ' + route + ' ' + status,
            k ->
                Timer.builder("secretsapi.http.requests")
                    .description("HTTP requests by route, method and status")
                    .tag("method", method)
                    .tag("route", route)
                    .tag("status", String.valueOf(status))
                    .publishPercentileHistogram()
                    .register(metrics))
        .record((long) (millis * 1_000_000), TimeUnit.NANOSECONDS);
    if (ACCESS.isInfoEnabled()) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("ts", Instant.now().toString());
      line.put("level", "info");
      line.put("msg", "request");
      line.put("request_id", RequestIds.of(ctx));
      line.put("method", method);
      line.put("route", route);
      line.put("status", status);
      line.put("duration_ms", Math.round(millis * 1000) / 1000.0);
      Caller caller = ctx.attribute(Api.CALLER);
      line.put("api_key_id", caller == null ? null : caller.apiKeyId());
      line.put("remote", ctx.ip());
      ACCESS.info(Server.JSON.writeValueAsString(line));
    }
  }

  private static String route(Context ctx) {
    try {
      var endpoint = ctx.endpoints().lastHttpEndpoint();
      if (endpoint != null) {
        return endpoint.path;
      }
    } catch (RuntimeException e) {
      // no endpoint matched
    }
    return "unmatched";
  }
}
