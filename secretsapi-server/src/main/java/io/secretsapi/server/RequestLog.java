package io.secretsapi.server;

import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.secretsapi.access.Caller;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After each request: one JSON line in the access log, one observation in the per-route latency
 * histogram, and for a probe one count ({@link Probes}). The line holds the method, the route
 * template, status, duration, request id and the API key id: never a header, a query value or a
 * body, so never a secret.
 */
final class RequestLog {
  private static final Logger ACCESS = LoggerFactory.getLogger("secretsapi.access");
  private final MeterRegistry metrics;
  private final Probes probes;

  /**
   * The timers by route template, then by method and status: a bounded set (every label is taken
   * from a fixed set of values, whatever the caller sends), found by one hash lookup on the route
   * string Javalin already holds and an array index, so that no key is built per request.
   */
  private final Map<String, AtomicReferenceArray<Timer>> timers = new ConcurrentHashMap<>();

  private static final List<String> METHOD_LIST =
      List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT");
  private static final Set<String> METHODS = Set.copyOf(METHOD_LIST);

  private static final Set<Integer> STATUSES =
      Set.of(
          200, 201, 202, 204, 206, 301, 302, 303, 304, 307, 308, 400, 401, 403, 404, 405, 406, 408,
          409, 410, 411, 412, 413, 414, 415, 416, 422, 429, 431, 500, 501, 502, 503, 504);

  /**
   * Each status code's label as a small index: codes 0 to 599 through this table, anything else
   * {@code other}. As many indexes as {@link #statusLabel} has labels.
   */
  private static final int[] LABEL_INDEX = new int[600];

  private static final int LABELS;

  static {
    Map<String, Integer> seen = new java.util.HashMap<>();
    seen.put("other", 0);
    for (int code = 0; code < LABEL_INDEX.length; code++) {
      LABEL_INDEX[code] = seen.computeIfAbsent(statusLabel(code), l -> seen.size());
    }
    LABELS = seen.size();
  }

  RequestLog(MeterRegistry metrics, Probes probes) {
    this.metrics = metrics;
    this.probes = probes;
  }

  void record(Context ctx, float millis) {
    String route = route(ctx);
    int status = ctx.statusCode();
    String method = ctx.method().name();
    String methodLabel = methodLabel(method);
    timer(route, methodLabel, status).record((long) (millis * 1_000_000), TimeUnit.NANOSECONDS);
    probes.observe(route, status);
    if (ACCESS.isInfoEnabled()) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("ts", Instant.now().toString());
      line.put("level", "info");
      line.put("msg", "request");
      line.put("request_id", RequestIds.of(ctx));
      line.put("method", methodLabel); // a caller's own method name could carry anything
      line.put("route", route);
      line.put("status", status);
      line.put("duration_ms", Math.round(millis * 1000) / 1000.0);
      Caller caller = ctx.attribute(Api.CALLER);
      line.put("api_key_id", caller == null ? null : caller.apiKeyId());
      line.put("remote", ctx.ip());
      ACCESS.info(Server.JSON.writeValueAsString(line));
    }
  }

  private Timer timer(String route, String methodLabel, int status) {
    AtomicReferenceArray<Timer> byMethodAndStatus = timers.get(route);
    if (byMethodAndStatus == null) {
      byMethodAndStatus =
          timers.computeIfAbsent(
              route, r -> new AtomicReferenceArray<>((METHOD_LIST.size() + 1) * LABELS));
    }
    int m = METHOD_LIST.indexOf(methodLabel); // OTHER is -1, the last row
    int code = status >= 0 && status < LABEL_INDEX.length ? LABEL_INDEX[status] : 0;
    int i = (m < 0 ? METHOD_LIST.size() : m) * LABELS + code;
    Timer t = byMethodAndStatus.get(i);
    if (t == null) {
      // registering an existing name and tags returns the registered timer
      t =
          Timer.builder("secretsapi.http.requests")
              .description("HTTP requests by route, method and status")
              .tag("method", methodLabel)
              .tag("route", route)
              .tag("status", statusLabel(status))
              .publishPercentileHistogram()
              .register(metrics);
      byMethodAndStatus.set(i, t);
    }
    return t;
  }

  /**
   * The method as a metric label: one of the standard methods, else {@code OTHER}. A caller may
   * send any token as a method, and each distinct label value would be a new series.
   */
  static String methodLabel(String method) {
    return METHODS.contains(method) ? method : "OTHER";
  }

  /**
   * The status as a metric label: a code the broker itself answers with, else its class ({@code
   * 2xx}...), else {@code other}. The proxy passes an upstream's status through, and an upstream
   * may answer with any number.
   */
  static String statusLabel(int status) {
    if (STATUSES.contains(status)) {
      return String.valueOf(status);
    }
    return status >= 100 && status <= 599 ? status / 100 + "xx" : "other";
  }

  /**
   * The route template the request matched, or {@code unmatched}: never the path itself, which the
   * caller chooses. Templates come from the route table, so they are a fixed set.
   */
  static String route(Context ctx) {
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
