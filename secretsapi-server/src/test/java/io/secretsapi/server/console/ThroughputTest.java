package io.secretsapi.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Grants and refusals per minute from counters that only grow. */
class ThroughputTest {
  static final Instant T0 = Instant.parse("2026-12-07T14:32:11Z");

  @Test
  void at_lessThanAMinuteMeasured_countsSinceFirstReadingNotARate() {
    SimpleMeterRegistry r = new SimpleMeterRegistry();
    Counter grants = Counter.builder("secretsapi.grants").tag("operation", "issue").register(r);
    Throughput t = new Throughput(r, T0);
    grants.increment(3);
    Throughput.Window w = t.at(T0.plusSeconds(20));
    assertThat(w.full()).isFalse();
    assertThat(w.grants()).isEqualTo(3);
    assertThat(w.refusals()).isZero();
    assertThat(w.span()).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void at_readingsEveryFewSeconds_countsOnlyTheLastMinute() {
    SimpleMeterRegistry r = new SimpleMeterRegistry();
    Counter grants = Counter.builder("secretsapi.grants").tag("operation", "issue").register(r);
    Counter refusals =
        Counter.builder("secretsapi.refusals")
            .tag("operation", "issue")
            .tag("rule", "default-deny")
            .register(r);
    Throughput t = new Throughput(r, T0);
    for (int s = 5; s <= 120; s += 5) {
      grants.increment();
      if (s > 60) {
        refusals.increment();
      }
      t.at(T0.plusSeconds(s));
    }
    Throughput.Window w = t.at(T0.plusSeconds(120));
    assertThat(w.full()).isTrue();
    assertThat(w.span()).isEqualTo(Duration.ofSeconds(60));
    assertThat(w.grants()).isEqualTo(12);
    assertThat(w.refusals()).isEqualTo(12);
    assertThat(w.grantsPerMinute()).isEqualTo(12.0);
  }

  @Test
  void at_nobodyLookedForTenMinutes_averagesOverWhatWasMeasured() {
    SimpleMeterRegistry r = new SimpleMeterRegistry();
    Counter grants = Counter.builder("secretsapi.grants").tag("operation", "proxy").register(r);
    Throughput t = new Throughput(r, T0);
    grants.increment(20);
    Throughput.Window w = t.at(T0.plus(Duration.ofMinutes(10)));
    assertThat(w.full()).isTrue();
    assertThat(w.grants()).isEqualTo(20);
    assertThat(w.grantsPerMinute()).isEqualTo(2.0);
  }
}
