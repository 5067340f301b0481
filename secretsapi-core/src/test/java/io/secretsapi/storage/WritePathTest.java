package io.secretsapi.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsapi.testing.TestStore;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every write of a store goes one way: on SQLite through the group commit's writer, a platform
 * thread with the only connection that may write, so that no request thread ever waits for SQLite's
 * lock inside native code (where a virtual thread holds its carrier); and no caller waits for a
 * write longer than the store's bound.
 */
class WritePathTest {

  private static long accounts(Database db, String id) {
    return db.read(
        h ->
            h.createQuery("SELECT count(*) FROM service_accounts WHERE id = :id")
                .bind("id", id)
                .mapTo(Long.class)
                .one());
  }

  @Test
  void read_writeStatementOnSqlite_isRefusedAndChangesNothing() {
    try (Database db = Database.open(TestStore.SQLITE.fresh())) {
      assertThatThrownBy(() -> db.read(h -> h.execute(insertSql("sa-read"))))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("readonly");
      assertThat(accounts(db, "sa-read")).isZero();
    }
  }

  @Test
  void inTransaction_onSqlite_runsOnTheWriterThread() {
    try (Database db = Database.open(TestStore.SQLITE.fresh())) {
      String thread =
          db.inTransaction(
              h -> {
                h.execute(insertSql("sa-1"));
                return Thread.currentThread().getName();
              });
      assertThat(thread).isEqualTo("secretsapi-group-commit");
      assertThat(accounts(db, "sa-1")).isOne();
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void inTransaction_insideAGroupCommitUnit_runsNestedAndRollsBackAlone(TestStore store) {
    try (Database db = Database.open(store.fresh())) {
      String outcome =
          db.writes()
              .submit(
                  h -> {
                    h.execute(insertSql("sa-outer"));
                    try {
                      db.writes()
                          .submit(
                              inner -> {
                                inner.execute(insertSql("sa-inner"));
                                throw new IllegalStateException("inner fails");
                              });
                    } catch (IllegalStateException expected) {
                      return "outer kept";
                    }
                    return "inner did not fail";
                  });
      assertThat(outcome).isEqualTo("outer kept");
      assertThat(accounts(db, "sa-outer")).isOne();
      assertThat(accounts(db, "sa-inner")).isZero();
    }
  }

  /**
   * A write that cannot start within the bound is refused with 503, and, refused, never runs later:
   * the caller was told nothing changed, and nothing did.
   */
  @ParameterizedTest
  @EnumSource(TestStore.class)
  void submit_writerBusyLongerThanTheBound_refusesAndTheWriteNeverRunsLater(TestStore store)
      throws Exception {
    Database.Options quick = new Database.Options(Duration.ofMillis(300), Duration.ZERO);
    try (Database db = Database.open(store.fresh(), quick)) {
      CountDownLatch busy = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<Object> blocker =
          CompletableFuture.supplyAsync(
              () ->
                  db.writes()
                      .submit(
                          h -> {
                            busy.countDown();
                            try {
                              release.await(10, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                              Thread.currentThread().interrupt();
                            }
                            return null;
                          }));
      assertThat(busy.await(5, TimeUnit.SECONDS)).isTrue();

      long t0 = System.nanoTime();
      assertThatThrownBy(() -> db.writes().submit(h -> h.execute(insertSql("sa-late"))))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("nothing was changed");
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(3_000);

      release.countDown();
      blocker.get(10, TimeUnit.SECONDS);
      db.inTransaction(h -> h.execute(insertSql("sa-after"))); // the writer moved on past it
      assertThat(accounts(db, "sa-after")).isOne();
      assertThat(accounts(db, "sa-late")).isZero();
    }
  }

  private static String insertSql(String id) {
    return "INSERT INTO service_accounts (id, name, description, created_at) VALUES ('"
        + id
        + "', '"
        + id
        + "', '', 0)";
  }
}
