package io.secretsapi.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * What the proxy reports per upstream host: calls by status ({@code secretsapi_proxy_calls_total}),
 * the upstream's latency to its answer's headers ({@code secretsapi_proxy_upstream_seconds}), bytes
 * sent and received ({@code secretsapi_proxy_request_bytes_total}, {@code
 * secretsapi_proxy_response_bytes_total}) and streams cut by a revocation, an expiry or a failure
 * ({@code secretsapi_proxy_streams_cut_total}).
 *
 * <p>The host label is only ever a host the call was granted for, so one of the configured upstream
 * hosts of some scope, never the caller's choice; and after {@value #MAX_HOSTS} distinct hosts
 * further ones count as {@code other}. The status label is {@link RequestLog#statusLabel}'s bounded
 * set, or {@code unreachable} when no answer came. The meters of a host are made once and found by
 * one hash lookup on the host string the call already holds; statuses by an array index.
 * Thread-safe.
 */
final class ProxyMetrics {
  static final int MAX_HOSTS = 256;
  static final String OTHER = "other";

  private final MeterRegistry registry;
  private final Map<String, Host> hosts = new ConcurrentHashMap<>();

  ProxyMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** The meters of granted upstream {@code host} ({@code name} or {@code name:port}). */
  Host host(String host) {
    Host h = hosts.get(host);
    if (h != null) {
      return h;
    }
    String label = host.toLowerCase(Locale.ROOT);
    if (hosts.size() >= MAX_HOSTS && !hosts.containsKey(label)) {
      label = OTHER;
    }
    return hosts.computeIfAbsent(label, Host::new);
  }

  /** The meters of one upstream host. */
  final class Host {
    private final String host;
    private final Timer upstream;
    private final Counter sent;
    private final Counter received;
    private final Counter cut;
    private final Counter unreachable;

    /** Calls by status code, 0 to 599; made on first use. */
    private final AtomicReferenceArray<Counter> calls = new AtomicReferenceArray<>(600);

    private Host(String host) {
      this.host = host;
      this.upstream =
          Timer.builder("secretsapi.proxy.upstream")
              .description("Time from forwarding a call to the upstream's answer headers")
              .tag("host", host)
              .serviceLevelObjectives(
                  Duration.ofMillis(10),
                  Duration.ofMillis(50),
                  Duration.ofMillis(100),
                  Duration.ofMillis(250),
                  Duration.ofMillis(500),
                  Duration.ofSeconds(1),
                  Duration.ofMillis(2500),
                  Duration.ofSeconds(5),
                  Duration.ofSeconds(10),
                  Duration.ofSeconds(30))
              .register(registry);
      this.sent = bytes("secretsapi.proxy.request", "Request body bytes sent upstream");
      this.received =
          bytes("secretsapi.proxy.response", "Answer body bytes returned to callers (redacted)");
      this.cut =
          Counter.builder("secretsapi.proxy.streams.cut")
              .description(
                  "Proxied answers cut before their end: the token was revoked or expired, or the"
                      + " upstream failed mid-stream")
              .tag("host", host)
              .register(registry);
      this.unreachable = call("unreachable");
    }

    private Counter bytes(String name, String description) {
      return Counter.builder(name)
          .description(description)
          .baseUnit(BaseUnits.BYTES)
          .tag("host", host)
          .register(registry);
    }

    private Counter call(String status) {
      return Counter.builder("secretsapi.proxy.calls")
          .description("Proxied calls by upstream host and the upstream's status")
          .tag("host", host)
          .tag("status", status)
          .register(registry);
    }

    /** The upstream's answer headers arrived {@code nanos} after the call was forwarded. */
    void answered(long nanos) {
      upstream.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** The upstream could not be reached, or did not answer. */
    void unreachable() {
      unreachable.increment();
    }

    /** A call ended: the upstream's {@code status}, bytes each way, and whether it was cut. */
    void ended(int status, long requestBytes, long responseBytes, boolean wasCut) {
      int i = status >= 0 && status < 600 ? status : 0;
      Counter c = calls.get(i);
      if (c == null) {
        Counter made = call(RequestLog.statusLabel(status));
        c = calls.compareAndSet(i, null, made) ? made : calls.get(i);
      }
      c.increment();
      sent.increment(requestBytes);
      received.increment(responseBytes);
      if (wasCut) {
        cut.increment();
      }
    }
  }
}
