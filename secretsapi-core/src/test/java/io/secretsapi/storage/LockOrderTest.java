package io.secretsapi.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.testing.TestStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two nodes on one store whose transactions touch the audit chain's head and another row in
 * opposite orders (one appends a record and then revokes a grant; the other counts a use of that
 * grant and then appends) both commit: no deadlock for the store to break by failing one of them.
 */
class LockOrderTest {

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void inTransaction_twoNodesTakeRowAndAuditHeadInOppositeOrders_bothCommit(TestStore store)
      throws Exception {
    StoreUrl url = store.fresh();
    try (Database a = Database.open(url);
        Database b = Database.open(url)) {
      a.inTransaction(
          h -> Jdbc.update(h, "CREATE TABLE lock_probe (id INTEGER PRIMARY KEY, n INTEGER)"));
      a.inTransaction(h -> Jdbc.update(h, "INSERT INTO lock_probe (id, n) VALUES (1, 0)"));
      CountDownLatch headTaken = new CountDownLatch(1);
      CountDownLatch rowTaken = new CountDownLatch(1);

      CompletableFuture<Integer> revoke =
          CompletableFuture.supplyAsync(
              () ->
                  a.inTransaction(
                      h -> {
                        Jdbc.update(
                            h, "UPDATE audit_head SET last_offset = last_offset WHERE id = 1");
                        headTaken.countDown();
                        await(rowTaken);
                        return Jdbc.update(h, "UPDATE lock_probe SET n = n + 1 WHERE id = 1");
                      }));
      await(headTaken);
      CompletableFuture<Integer> use =
          CompletableFuture.supplyAsync(
              () ->
                  b.inTransaction(
                      h -> {
                        Jdbc.update(h, "UPDATE lock_probe SET n = n + 10 WHERE id = 1");
                        rowTaken.countDown();
                        return Jdbc.update(
                            h, "UPDATE audit_head SET last_offset = last_offset WHERE id = 1");
                      }));

      assertThat(revoke.get(30, TimeUnit.SECONDS)).isEqualTo(1);
      assertThat(use.get(30, TimeUnit.SECONDS)).isEqualTo(1);
      java.util.Optional<Integer> n =
          a.read(h -> Jdbc.first(h, "SELECT n FROM lock_probe WHERE id = 1", rs -> rs.getInt(1)));
      assertThat(n).contains(11);
    }
  }

  /** Waits for the other transaction at most a second: with one lock order, it never comes. */
  private static void await(CountDownLatch l) {
    try {
      l.await(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
