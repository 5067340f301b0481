package io.secretsapi.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.secretsapi.testing.TestStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The group commit reports each batch: its commit time, its size, and a failed transaction. */
class CommitMetersTest {
  @ParameterizedTest
  @EnumSource(TestStore.class)
  void bindTo_commitsAndAFailedBatch_areTimedSizedAndCounted(TestStore store) {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Database db = Database.open(store.fresh());
        GroupCommit gc = new GroupCommit(db)) {
      gc.bindTo(registry);
      for (int i = 0; i < 5; i++) {
        String id = "sa-" + i;
        gc.submit(
            h -> {
              GroupCommitTest.insert(h, id);
              return null;
            });
      }
      // An Error is not a unit's refusal: the whole transaction fails, and nothing of it is kept.
      assertThatThrownBy(
              () ->
                  gc.submit(
                      h -> {
                        GroupCommitTest.insert(h, "sa-lost");
                        throw new AssertionError("the writer's transaction fails");
                      }))
          .isInstanceOf(StoreUnavailableException.class);

      assertThat(registry.get("secretsapi.audit.commit").timer().count()).isEqualTo(5);
      assertThat(registry.get("secretsapi.audit.commit.batch.size").summary().totalAmount())
          .isEqualTo(5);
      assertThat(registry.get("secretsapi.audit.commit.failures").counter().count()).isEqualTo(1);
      int lost =
          db.read(
              h ->
                  h.createQuery("SELECT count(*) FROM service_accounts WHERE id = 'sa-lost'")
                      .mapTo(Integer.class)
                      .one());
      assertThat(lost).isZero();
    }
  }
}
