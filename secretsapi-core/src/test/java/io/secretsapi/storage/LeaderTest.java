package io.secretsapi.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.BrokerCore;
import io.secretsapi.testing.Broker;
import io.secretsapi.testing.TestStore;
import io.secretsapi.testing.TokenFixture;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** One node leads the background jobs that one node does for all. */
class LeaderTest {

  static boolean within(long millis, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + millis * 1_000_000;
    while (System.nanoTime() < end) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(20);
    }
    return condition.getAsBoolean();
  }

  static long checkpoints(Database db) {
    return db.read(
        h -> h.createQuery("SELECT count(*) FROM audit_checkpoints").mapTo(Long.class).one());
  }

  @Test
  void leads_sqlite_theOneNodeLeads() {
    try (Broker b = Broker.start(TestStore.SQLITE)) {
      assertThat(b.core().leadership().leads()).isTrue();
    }
  }

  @Test
  void leads_twoNodesOnPostgres_oneLeadsAndTheOtherTakesOverWhenItStops() throws Exception {
    try (var f = TokenFixture.start(TestStore.POSTGRES)) {
      BrokerCore first = f.b.core();
      assertThat(within(10_000, () -> first.leadership().leads()))
          .as("the only node takes the lease")
          .isTrue();
      try (BrokerCore other = f.b.otherNode()) {
        assertThat(other.changes().awaitListening(Duration.ofSeconds(10))).isTrue();
        Thread.sleep(500); // the other node has tried the lease at least once
        assertThat(other.leadership().leads()).isFalse();

        f.issue("5m"); // the trail grows
        long before = checkpoints(f.b.db());
        other.tick();
        assertThat(checkpoints(f.b.db()))
            .as("a node that does not lead signs none")
            .isEqualTo(before);
        first.tick();
        assertThat(checkpoints(f.b.db())).isEqualTo(before + 1);

        first.leadership().close(); // it gives the lease up as it stops

        assertThat(within(5_000, () -> other.leadership().leads()))
            .as("the other node takes over before the lease would have run out")
            .isTrue();
        assertThat(first.leadership().leads()).isFalse();
        assertThat(other.leadership().term().getAsLong()).as("a new term").isGreaterThan(1);
      }
    }
  }
}
