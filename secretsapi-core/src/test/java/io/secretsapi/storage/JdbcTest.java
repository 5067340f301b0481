package io.secretsapi.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsapi.testing.TestStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JdbcTest {
  static final String INSERT =
      "INSERT INTO service_accounts (id, name, description, created_at) VALUES (?, ?, '', 0)";

  static int insert(Database db, String id) {
    return db.inTransaction(h -> Jdbc.update(h, INSERT, id, id));
  }

  static long count(Database db) {
    return db.read(
            h ->
                Jdbc.first(
                    h,
                    "SELECT count(*) FROM service_accounts WHERE id LIKE ?",
                    rs -> rs.getLong(1),
                    "jdbc-%"))
        .orElseThrow();
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void update_keptStatementAfterAFailureAndAcrossPools_stillWritesAndReadsRight(TestStore store) {
    StoreUrl url = store.fresh();
    try (Database db = Database.open(url)) {
      assertThat(insert(db, "jdbc-1")).isEqualTo(1);
      assertThatThrownBy(() -> insert(db, "jdbc-1")).isInstanceOf(StoreUnavailableException.class);
      assertThat(insert(db, "jdbc-2")).isEqualTo(1);
      assertThat(count(db)).isEqualTo(2);
    }
    // The first pool closed its connections, and their kept statements with them.
    try (Database db = Database.open(url)) {
      assertThat(insert(db, "jdbc-3")).isEqualTo(1);
      assertThat(count(db)).isEqualTo(3);
    }
  }
}
