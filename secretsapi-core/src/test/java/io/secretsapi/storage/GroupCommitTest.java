package io.secretsapi.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsapi.ValidationException;
import io.secretsapi.testing.TestStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GroupCommitTest {
  static void insert(org.jdbi.v3.core.Handle h, String id) {
    h.execute(
        "INSERT INTO service_accounts (id, name, description, created_at) VALUES (?, ?, '', 0)",
        id,
        id);
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void submit_failingUnitsAmongGoodOnes_onlyTheFailingOnesAreRolledBack(TestStore store)
      throws Exception {
    try (Database db = Database.open(store.fresh());
        GroupCommit gc = new GroupCommit(db)) {
      ExecutorService pool = Executors.newFixedThreadPool(16);
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        int n = i;
        results.add(
            pool.submit(
                () -> {
                  try {
                    return gc.submit(
                        h -> {
                          insert(h, "sa-" + n);
                          if (n % 3 == 0) {
                            throw new ValidationException("n", "odd", "refused " + n);
                          }
                          if (n % 3 == 1) {
                            insert(h, "sa-" + n);
                          }
                          return "ok";
                        });
                  } catch (ValidationException e) {
                    return "refused";
                  } catch (StoreUnavailableException e) {
                    return "store";
                  }
                }));
      }
      List<String> outcomes = new ArrayList<>();
      for (Future<String> f : results) {
        outcomes.add(f.get());
      }
      pool.shutdown();
      assertThat(outcomes.stream().filter("ok"::equals).count()).isEqualTo(66);
      assertThat(outcomes.stream().filter("refused"::equals).count()).isEqualTo(67);
      assertThat(outcomes.stream().filter("store"::equals).count()).isEqualTo(67);
      long rows =
          db.read(
              h -> h.createQuery("SELECT COUNT(*) FROM service_accounts").mapTo(Long.class).one());
      assertThat(rows).isEqualTo(66);
      assertThatThrownBy(
              () ->
                  gc.submit(
                      h -> {
                        insert(h, "sa-2");
                        return null;
                      }))
          .isInstanceOf(StoreUnavailableException.class);
      // Every caller, refused or failed too, was counted out of submit: the next lone one spins.
      assertThat(gc.waiting()).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void submitAsync_followedByAWaitedUnit_bothCommitInOneTransaction(TestStore store)
      throws Exception {
    try (Database db = Database.open(store.fresh());
        GroupCommit gc = new GroupCommit(db)) {
      var later =
          gc.submitAsync(
              h -> {
                insert(h, "sa-later");
                return h;
              });
      org.jdbi.v3.core.Handle waited =
          gc.submit(
              h -> {
                insert(h, "sa-waited");
                return h;
              });
      assertThat(later.get(5, java.util.concurrent.TimeUnit.SECONDS)).isSameAs(waited);
      var alone =
          gc.submitAsync(
              h -> {
                insert(h, "sa-alone");
                return h;
              });
      assertThat(alone.get(5, java.util.concurrent.TimeUnit.SECONDS)).isNotNull();
      int kept =
          db.read(
              h ->
                  h.createQuery("SELECT count(*) FROM service_accounts WHERE id LIKE 'sa-%'")
                      .mapTo(Integer.class)
                      .one());
      assertThat(kept).isEqualTo(3);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void submitAsync_followedByAWaitedUnitThatFails_theAsyncUnitStillCommits(TestStore store)
      throws Exception {
    try (Database db = Database.open(store.fresh());
        GroupCommit gc = new GroupCommit(db)) {
      var later =
          gc.submitAsync(
              h -> {
                insert(h, "sa-later");
                return "kept";
              });
      assertThatThrownBy(
              () ->
                  gc.submit(
                      h -> {
                        insert(h, "sa-refused");
                        throw new ValidationException("n", "odd", "refused");
                      }))
          .isInstanceOf(ValidationException.class);
      assertThat(later.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("kept");
      List<String> ids =
          db.read(
              h ->
                  h.createQuery("SELECT id FROM service_accounts WHERE id LIKE 'sa-%'")
                      .mapTo(String.class)
                      .list());
      assertThat(ids).containsExactly("sa-later");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void inWriteTransaction_workFailsManyTimes_nothingKeptAndNoConnectionLeftInATransaction(
      TestStore store) throws Exception {
    try (Database db = Database.open(store.fresh())) {
      for (int i = 0; i < 20; i++) {
        int n = i;
        assertThatThrownBy(
                () ->
                    db.inWriteTransaction(
                        h -> {
                          insert(h, "sa-failed-" + n);
                          insert(h, "sa-failed-" + n);
                          return null;
                        }))
            .isInstanceOf(StoreUnavailableException.class);
      }
      // Every pooled connection is handed out at once: one still inside a transaction would hold
      // SQLite's write lock and make these writes wait out the busy timeout.
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<?>> writes = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        int n = i;
        writes.add(
            pool.submit(
                () ->
                    db.inTransaction(
                        h -> {
                          insert(h, "sa-ok-" + n);
                          return null;
                        })));
      }
      for (Future<?> w : writes) {
        w.get(5, java.util.concurrent.TimeUnit.SECONDS);
      }
      pool.shutdown();
      List<String> ids =
          db.read(
              h ->
                  h.createQuery("SELECT id FROM service_accounts WHERE id LIKE 'sa-%' ORDER BY id")
                      .mapTo(String.class)
                      .list());
      assertThat(ids).hasSize(8).allMatch(id -> id.startsWith("sa-ok-"));
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void submit_aloneWithACommitSlowerThanTheSpin_returnsOnceCommitted(TestStore store)
      throws Exception {
    try (Database db = Database.open(store.fresh());
        GroupCommit gc = new GroupCommit(db)) {
      long slow = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(GroupCommit.SPIN_NANOS) + 20;
      String got =
          gc.submit(
              h -> {
                insert(h, "sa-slow");
                sleep(slow);
                return "kept";
              });
      assertThat(got).isEqualTo("kept");
      long rows =
          db.read(
              h ->
                  h.createQuery("SELECT COUNT(*) FROM service_accounts WHERE id = 'sa-slow'")
                      .mapTo(Long.class)
                      .one());
      assertThat(rows).isEqualTo(1L);
      assertThatThrownBy(
              () ->
                  gc.submit(
                      h -> {
                        sleep(slow);
                        throw new ValidationException("n", "rule", "refused after the spin");
                      }))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("refused after the spin");
      assertThat(gc.waiting()).isZero();
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
