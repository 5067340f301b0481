package io.secretsapi.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The probes: the endpoints a load balancer, an orchestrator or Prometheus calls on a schedule.
 * They are counted ({@code secretsapi_probes_total{endpoint,status}}), not written to the audit
 * trail: one probe a second would be 86,400 records a day per node, each a durable write, and they
 * would bury the records an auditor looks for (design 0019). Every other request, authenticated or
 * not, keeps its record. The endpoint label is one of {@link #ENDPOINTS}; the status is {@link
 * RequestLog#statusLabel}'s bounded set. Thread-safe.
 */
final class Probes {
  /** Liveness, readiness and the metrics scrape: the endpoints that are probes. */
  static final List<String> ENDPOINTS = List.of("/health/live", "/health/ready", "/metrics");

  private final MeterRegistry registry;
  private final Map<String, Map<String, Counter>> counters = new ConcurrentHashMap<>();

  Probes(MeterRegistry registry) {
    this.registry = registry;
    for (String endpoint : ENDPOINTS) {
      Map<String, Counter> byStatus = new ConcurrentHashMap<>();
      byStatus.put("200", counter(endpoint, "200"));
      counters.put(endpoint, byStatus);
    }
  }

  /** Counts a request to {@code route} answered {@code status}, when {@code route} is a probe. */
  void observe(String route, int status) {
    Map<String, Counter> byStatus = counters.get(route);
    if (byStatus != null) {
      byStatus.computeIfAbsent(RequestLog.statusLabel(status), s -> counter(route, s)).increment();
    }
  }

  private Counter counter(String endpoint, String status) {
    return Counter.builder("secretsapi.probes")
        .description(
            "Health and metrics probes by endpoint and status; counted here instead of written to"
                + " the audit trail")
        .tag("endpoint", endpoint)
        .tag("status", status)
        .register(registry);
  }
}
