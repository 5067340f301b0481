package io.secretsapi.storage;

import static io.secretsapi.storage.LeaderTest.checkpoints;
import static io.secretsapi.storage.LeaderTest.within;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsapi.BrokerCore;
import io.secretsapi.audit.AuditEntry;
import io.secretsapi.testing.Broker;
import io.secretsapi.testing.TestStore;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The leader's lease and its fence: a node whose term has ended writes nothing as leader, even
 * while it still believes it leads.
 */
class LeadershipTest {

  /**
   * Renewed every 20 s: in these tests the node's belief outlives what the test does to the row.
   */
  private static final Duration LONG = Duration.ofSeconds(60);

  private static Broker leading(Duration lease) throws InterruptedException {
    Broker b =
        Broker.start(TestStore.POSTGRES, BrokerCore.Options.defaults().withLeaderLease(lease));
    assertThat(within(10_000, () -> b.core().leadership().leads())).isTrue();
    return b;
  }

  private static void grow(Broker b) {
    b.db()
        .inTransaction(h -> b.core().audit().append(h, AuditEntry.of("test", "t", "done").build()));
  }

  /** The term of each checkpoint's signer, oldest first; -1 for one signed on request. */
  private static List<Long> epochs(Database db) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT coalesce(leader_epoch, -1) FROM audit_checkpoints ORDER BY tree_size")
                .mapTo(Long.class)
                .list());
  }

  private static void setLease(Database db, String sql) {
    db.inTransaction(h -> h.createUpdate("UPDATE leader_lease SET " + sql).execute());
  }

  @Test
  void fence_leaseTakenOverWhileTheNodeBelievesItLeads_checkpointNotWritten() throws Exception {
    try (Broker b = leading(LONG)) {
      grow(b);
      long before = checkpoints(b.db());
      // another node's term begins, as if this one's renewals had stalled past the lease
      setLease(b.db(), "holder = 'another', epoch = epoch + 1, expires_at = expires_at + 60000");

      assertThat(b.core().leadership().leads()).as("it still believes it leads").isTrue();
      assertThatThrownBy(() -> b.core().checkpoints().checkpointAsLeader(b.core().leadership()))
          .isInstanceOf(NotLeaderException.class)
          .hasMessageContaining("has ended");
      b.core().tick(); // the periodic job takes the refusal in its stride

      assertThat(checkpoints(b.db())).as("nothing signed as leader").isEqualTo(before);
      assertThat(b.core().leadership().leads()).isTrue();
    }
  }

  @Test
  void fence_leaseExpiredUnrenewed_checkpointNotWritten() throws Exception {
    try (Broker b = leading(LONG)) {
      grow(b);
      long before = checkpoints(b.db());
      setLease(b.db(), "expires_at = 0"); // by the database's clock, long past

      assertThatThrownBy(() -> b.core().checkpoints().checkpointAsLeader(b.core().leadership()))
          .isInstanceOf(NotLeaderException.class);
      assertThat(checkpoints(b.db())).isEqualTo(before);
    }
  }

  @Test
  void checkpointAsLeader_holdingTheLease_signedWithItsTerm() throws Exception {
    try (Broker b = leading(LONG)) {
      grow(b);
      b.core().checkpoints().checkpointAsLeader(b.core().leadership());
      b.core().checkpoints().checkpoint(); // on request: no term (nothing new, so none written)
      grow(b);
      b.core().checkpoints().checkpoint();

      assertThat(epochs(b.db())).containsExactly(b.core().leadership().term().getAsLong(), -1L);
    }
  }

  @Test
  void checkpointAsLeader_sqlite_theOneNodeSignsWithTermZero() {
    try (Broker b = Broker.start(TestStore.SQLITE)) {
      grow(b);
      b.core().tick();

      assertThat(epochs(b.db())).containsExactly(0L);
    }
  }

  @Test
  void leads_leaseTakenByAnother_stopsBelievingWithinTheLease() throws Exception {
    Duration lease = Duration.ofSeconds(3);
    try (Broker b = leading(lease)) {
      setLease(b.db(), "holder = 'another', epoch = epoch + 1, expires_at = expires_at + 60000");

      assertThat(within(lease.toMillis(), () -> !b.core().leadership().leads())).isTrue();
      Thread.sleep(lease.toMillis() / 3 + 200); // another renewal period: it does not take it back
      assertThat(b.core().leadership().leads()).isFalse();
    }
  }

  @Test
  void fence_nodeStopsInsideAFencedWrite_sessionEndsAndTheWriteRollsBack() throws Exception {
    Duration lease = Duration.ofSeconds(3);
    try (Broker b = leading(lease)) {
      Leadership leader = b.core().leadership();
      grow(b);
      long before = checkpoints(b.db());

      assertThatThrownBy(
              () ->
                  b.db()
                      .inTransaction(
                          h -> {
                            leader.fence(h);
                            // frozen here, holding the lease row: PostgreSQL ends the session
                            // after a fifth of the lease, by the time the lease could expire
                            sleep(lease.toMillis() / 5 + 700);
                            return h.createUpdate(
                                    "INSERT INTO audit_checkpoints (tree_size, root_hash,"
                                        + " created_at, kid, jws, leader_epoch)"
                                        + " VALUES (999, 'r', 0, 'k', 'j', 1)")
                                .execute();
                          }))
          .isInstanceOf(StoreUnavailableException.class);

      assertThat(checkpoints(b.db())).isEqualTo(before);
      assertThat(within(lease.toMillis(), leader::leads)).as("and it goes on leading").isTrue();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
