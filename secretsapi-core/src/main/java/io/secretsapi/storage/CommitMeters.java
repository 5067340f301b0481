package io.secretsapi.storage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** The meters of the commit, made once per registry: the writer only records into them. */
record CommitMeters(Timer commits, DistributionSummary batchSize, Counter failures) {
  static CommitMeters of(MeterRegistry r) {
    return new CommitMeters(
        Timer.builder("secretsapi.audit.commit")
            .description(
                "Group commits of the write path that makes audit records durable: one"
                    + " transaction and one sync per batch")
            .serviceLevelObjectives(
                Duration.ofMillis(1),
                Duration.ofMillis(2),
                Duration.ofMillis(5),
                Duration.ofMillis(10),
                Duration.ofMillis(25),
                Duration.ofMillis(50),
                Duration.ofMillis(100),
                Duration.ofMillis(250),
                Duration.ofMillis(500),
                Duration.ofSeconds(1),
                Duration.ofSeconds(2),
                Duration.ofSeconds(5))
            .register(r),
        DistributionSummary.builder("secretsapi.audit.commit.batch.size")
            .description("Units (requests, grants, refusals, changes) per group commit")
            .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256)
            .register(r),
        Counter.builder("secretsapi.audit.commit.failures")
            .description(
                "Group commits that failed: every caller of the batch was answered 503, nothing"
                    + " of it kept")
            .register(r));
  }
}
