package io.secretsapi.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsapi.testing.TestStore;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;
import org.junit.jupiter.api.Test;

/**
 * A full disk under SQLite (issue 18), made with {@code PRAGMA max_page_count}: SQLite answers
 * SQLITE_FULL, "database or disk is full", as it does when the file system has no room, and room
 * returns when the limit is raised. Every failure names that cause, the second one too, and the
 * store writes again as soon as there is room.
 */
class DiskFullTest {
  static final String INSERT =
      "INSERT INTO service_accounts (id, name, description, created_at) VALUES (?, ?, ?, 0)";
  static final String FULL = "database or disk is full";

  /** A row larger than any free space in the file's pages. */
  static int insertLarge(Handle h, String id) {
    return Jdbc.update(h, INSERT, id, id, "x".repeat(64 * 1024));
  }

  /** Caps the file at the pages it has now (SQLite raises a lower cap to the current size). */
  static void fillDisk(Handle h) {
    h.execute("PRAGMA max_page_count = 1");
  }

  static void makeRoom(Handle h) {
    h.execute("PRAGMA max_page_count = 1073741823");
  }

  @Test
  void update_diskFull_everyFailureNamesTheCauseAndTheNextWriteAfterRoomReturnsCommits() {
    try (Database db = Database.open(TestStore.SQLITE.fresh())) {
      db.writerJdbi()
          .useHandle(
              h -> {
                fillDisk(h);
                for (int attempt = 0; attempt < 3; attempt++) {
                  String id = "full-" + attempt;
                  assertThatThrownBy(() -> insertLarge(h, id))
                      .isInstanceOf(JdbiException.class)
                      .rootCause()
                      .hasMessageContaining(FULL);
                }
                makeRoom(h);
                assertThat(insertLarge(h, "room")).isEqualTo(1);
              });
    }
  }

  @Test
  void submit_diskFull_callerIsToldTheCauseAndTheWriterCommitsOnceRoomReturns() {
    try (Database db = Database.open(TestStore.SQLITE.fresh());
        GroupCommit gc = new GroupCommit(db)) {
      // The writer takes its connection back from the pool for each batch: the cap stays on it.
      gc.submit(
          h -> {
            fillDisk(h);
            return null;
          });
      for (int attempt = 0; attempt < 3; attempt++) {
        String id = "full-" + attempt;
        assertThatThrownBy(() -> gc.submit(h -> insertLarge(h, id)))
            .isInstanceOf(StoreUnavailableException.class)
            .hasMessageContaining(FULL);
      }
      gc.submit(
          h -> {
            makeRoom(h);
            return null;
          });
      int written = gc.submit(h -> insertLarge(h, "room"));
      assertThat(written).isEqualTo(1);
      long kept =
          db.read(
              h ->
                  h.createQuery("SELECT count(*) FROM service_accounts WHERE id = 'room'")
                      .mapTo(Long.class)
                      .one());
      assertThat(kept).isEqualTo(1);
    }
  }
}
