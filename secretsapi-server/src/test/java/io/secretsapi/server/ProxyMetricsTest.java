package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The proxy's meters keep the host and status labels to bounded sets. */
class ProxyMetricsTest {
  @Test
  void host_moreHostsThanTheCapAndAnyStatus_labelsStayBounded() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ProxyMetrics metrics = new ProxyMetrics(registry);
    for (int i = 0; i < ProxyMetrics.MAX_HOSTS + 100; i++) {
      metrics.host("api-" + i + ".example.com").ended(200 + i % 7, 10, 20, i % 2 == 0);
    }
    for (int status = -5; status < 1200; status += 3) {
      metrics.host("api-0.example.com").ended(status, 0, 0, false);
    }
    metrics.host("API-1.Example.com").ended(200, 0, 0, false);

    Set<String> hosts = labels(registry, "secretsapi.proxy.calls", "host");
    assertThat(hosts)
        .hasSize(ProxyMetrics.MAX_HOSTS + 1)
        .contains("api-0.example.com", "other")
        .doesNotContain("API-1.Example.com");
    assertThat(labels(registry, "secretsapi.proxy.calls", "status")).hasSizeLessThan(50);
    assertThat(registry.get("secretsapi.proxy.streams.cut").tag("host", "other").counter().count())
        .isEqualTo(50);
  }

  private static Set<String> labels(SimpleMeterRegistry r, String name, String tag) {
    Set<String> out = new TreeSet<>();
    for (Meter m : r.find(name).meters()) {
      out.add(m.getId().getTag(tag));
    }
    return out;
  }
}
