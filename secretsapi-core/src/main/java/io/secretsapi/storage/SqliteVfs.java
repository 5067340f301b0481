package io.secretsapi.storage;

import java.nio.file.Path;

/**
 * The JDBC URL the pool opens an SQLite store with: SQLite's {@code unix-excl} VFS, so that the WAL
 * index lives in the broker's heap instead of a memory-mapped {@code -shm} file.
 *
 * <p>Why (docs/design/0014-disk-full.md): SQLite's default unix VFS maps the {@code -shm} file and
 * writes the WAL index through the mapping. It grows that file by writing one byte at the end of
 * each 4 KiB page, which on a file system with 1 KiB blocks (mkfs picks them for small ext4
 * volumes) allocates one block of four; the others are holes. A store through the mapping into a
 * hole must allocate a block, and when the disk is full the kernel answers with SIGBUS, which kills
 * the JVM. The first connection of a process truncates the file and rebuilds the index from the
 * WAL, writing all over it: a broker started on a full disk with a WAL to replay died there (and,
 * by the same path, one whose pool had closed its last connection would have, opening the next). In
 * the heap nothing can fault: a full disk is then only SQLITE_FULL from a write, which the broker
 * answers with 503.
 *
 * <p>The cost: {@code unix-excl} holds an exclusive lock on the database file for as long as the
 * broker has it open, so no other process can open the store meanwhile (an SQLite store has one
 * broker; a second one now fails at start with "database is locked"). Connections within the broker
 * share the index and lock each other out in memory, as they did through the file. Only on Unix:
 * elsewhere the URL is left as it is.
 */
final class SqliteVfs {
  private SqliteVfs() {}

  private static final String VFS = "vfs=unix-excl";

  /** The URL to open {@code url}'s SQLite file with. */
  static String jdbcUrl(StoreUrl url) {
    String jdbc = url.jdbcUrl();
    String rest = jdbc.substring("jdbc:sqlite:".length());
    if (java.io.File.separatorChar != '/' || rest.isEmpty() || rest.startsWith(":memory:")) {
      return jdbc;
    }
    if (rest.startsWith("file:")) {
      return rest.contains("vfs=") ? jdbc : jdbc + (rest.contains("?") ? "&" : "?") + VFS;
    }
    int q = rest.indexOf('?');
    String file = q < 0 ? rest : rest.substring(0, q);
    String query = q < 0 ? "" : "&" + rest.substring(q + 1);
    // A URI filename: SQLite decodes the escapes toUri() puts in for spaces, '#' and '%'.
    String path = Path.of(file).toAbsolutePath().normalize().toUri().getRawPath();
    return "jdbc:sqlite:file:" + path + "?" + VFS + query;
  }
}
