package io.secretsapi.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.BrokerCore;
import io.secretsapi.testing.Broker;
import io.secretsapi.testing.TestStore;
import io.secretsapi.testing.TokenFixture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** One node leads the background jobs that one node does for all. */
class LeaderTest {

  private static boolean within(long millis, BooleanSupplier condition)
      throws InterruptedException {
    long end = System.nanoTime() + millis * 1_000_000;
    while (System.nanoTime() < end) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(20);
    }
    return condition.getAsBoolean();
  }

  private static long checkpoints(Database db) {
    return db.read(
        h -> h.createQuery("SELECT count(*) FROM audit_checkpoints").mapTo(Long.class).one());
  }

  @Test
  void leader_sqlite_theOneNodeLeads() {
    try (Broker b = Broker.start(TestStore.SQLITE)) {
      assertThat(b.core().changes().leader()).isTrue();
    }
  }

  @Test
  void leader_twoNodesOnPostgres_oneLeadsAndTheOtherTakesOverWhenItsSessionEnds() throws Exception {
    try (var f = TokenFixture.start(TestStore.POSTGRES)) {
      BrokerCore first = f.b.core();
      assertThat(within(10_000, () -> first.changes().leader()))
          .as("the only node takes the lock")
          .isTrue();
      try (BrokerCore other = f.b.otherNode()) {
        assertThat(other.changes().awaitListening(java.time.Duration.ofSeconds(10))).isTrue();
        Thread.sleep(2_500); // the other node has tried the lock at least once
        assertThat(other.changes().leader()).isFalse();

        f.issue("5m"); // the trail grows
        long before = checkpoints(f.b.db());
        other.tick();
        assertThat(checkpoints(f.b.db()))
            .as("a node that does not lead signs none")
            .isEqualTo(before);
        first.tick();
        assertThat(checkpoints(f.b.db())).isEqualTo(before + 1);

        first.changes().close(); // its session ends, and the lock with it

        assertThat(within(10_000, () -> other.changes().leader())).isTrue();
        assertThat(first.changes().leader()).isFalse();
      }
    }
  }
}
