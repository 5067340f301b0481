package io.secretsapi.server.console;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Grants and refusals per minute, from the broker's own counters ({@code secretsapi.grants} and
 * {@code secretsapi.refusals}, docs/metrics.md): the counters only grow, so the console keeps a few
 * timed readings of them (one when it starts, then one per look at most every second) and answers
 * the difference against the newest reading at least a minute old. Until a minute has been
 * measured, it answers the count since its first reading and says so: no rate is extrapolated.
 * Thread-safe.
 */
final class Throughput {
  static final Duration MINUTE = Duration.ofMinutes(1);

  record Reading(Instant at, double grants, double refusals) {}

  /**
   * What was counted over {@code span}, which ends now.
   *
   * @param full whether {@code span} is at least a minute: the figures are then a rate per minute
   */
  record Window(long grants, long refusals, Duration span, boolean full) {
    double grantsPerMinute() {
      return perMinute(grants);
    }

    double refusalsPerMinute() {
      return perMinute(refusals);
    }

    private double perMinute(long n) {
      return n * 60_000.0 / Math.max(1, span.toMillis());
    }
  }

  private final MeterRegistry meters;
  private final Deque<Reading> readings = new ArrayDeque<>();

  Throughput(MeterRegistry meters, Instant now) {
    this.meters = meters;
    readings.add(read(now));
  }

  /** Reads the counters now and answers the window against the reading a minute back. */
  synchronized Window at(Instant now) {
    Reading current = read(now);
    if (Duration.between(readings.peekLast().at(), now).toMillis() >= 1000) {
      readings.addLast(current);
    }
    // the base is the newest reading at least a minute old: older ones are no longer needed
    while (readings.size() > 1) {
      Reading second = readings.stream().skip(1).findFirst().orElseThrow();
      if (second.at().isAfter(now.minus(MINUTE))) {
        break;
      }
      readings.removeFirst();
    }
    Reading base = readings.peekFirst();
    Duration span = Duration.between(base.at(), now);
    return new Window(
        Math.round(current.grants() - base.grants()),
        Math.round(current.refusals() - base.refusals()),
        span,
        span.compareTo(MINUTE) >= 0);
  }

  private Reading read(Instant now) {
    return new Reading(now, sum("secretsapi.grants"), sum("secretsapi.refusals"));
  }

  private double sum(String name) {
    return meters.find(name).counters().stream().mapToDouble(Counter::count).sum();
  }
}
