package io.secretsapi.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.secretsapi.testing.TestStore;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SqliteVfsTest {

  @Test
  void jdbcUrl_sqliteFile_opensItAsAUriThroughUnixExcl() {
    assumeThat(File.separatorChar).isEqualTo('/');
    String url = SqliteVfs.jdbcUrl(StoreUrl.sqliteFile(Path.of("/var/lib/secrets api/a#b%c.db")));
    assertThat(url).isEqualTo("jdbc:sqlite:file:/var/lib/secrets%20api/a%23b%25c.db?vfs=unix-excl");
  }

  @Test
  void jdbcUrl_parametersAndUris_keepTheirParametersAndGainTheVfs() {
    assumeThat(File.separatorChar).isEqualTo('/');
    assertThat(SqliteVfs.jdbcUrl(StoreUrl.parse("jdbc:sqlite:/data/s.db?cache_size=100")))
        .isEqualTo("jdbc:sqlite:file:/data/s.db?vfs=unix-excl&cache_size=100");
    assertThat(SqliteVfs.jdbcUrl(StoreUrl.parse("jdbc:sqlite:file:/data/s.db?mode=rw")))
        .isEqualTo("jdbc:sqlite:file:/data/s.db?mode=rw&vfs=unix-excl");
    assertThat(SqliteVfs.jdbcUrl(StoreUrl.parse("jdbc:sqlite:file:/data/s.db?vfs=unix")))
        .isEqualTo("jdbc:sqlite:file:/data/s.db?vfs=unix");
    assertThat(SqliteVfs.jdbcUrl(StoreUrl.parse("jdbc:sqlite::memory:")))
        .isEqualTo("jdbc:sqlite::memory:");
  }

  /** The WAL index is in the heap: there is no -shm file that a full disk could fault in. */
  @Test
  void open_writesInWalMode_leaveNoSharedMemoryFile() throws Exception {
    assumeThat(File.separatorChar).isEqualTo('/');
    StoreUrl url = TestStore.SQLITE.fresh();
    Path file = url.sqlitePath().orElseThrow();
    try (Database db = Database.open(url)) {
      db.inTransaction(
          h ->
              h.execute(
                  "INSERT INTO service_accounts (id, name, description, created_at)"
                      + " VALUES ('vfs', 'vfs', '', 0)"));
      String mode = db.read(h -> h.createQuery("PRAGMA journal_mode").mapTo(String.class).one());
      assertThat(mode).isEqualTo("wal");
      assertThat(Files.exists(Path.of(file + "-wal"))).isTrue();
      assertThat(Files.exists(Path.of(file + "-shm"))).isFalse();
    }
    try (Database db = Database.open(StoreUrl.sqliteFile(file))) {
      long rows =
          db.read(
              h ->
                  h.createQuery("SELECT count(*) FROM service_accounts WHERE id = 'vfs'")
                      .mapTo(Long.class)
                      .one());
      assertThat(rows).isEqualTo(1);
    }
  }
}
