package io.secretsapi.server.console;

import java.util.List;
import java.util.Optional;

/**
 * The secrets vault (screen 2): one page of the listing, masked, its filters, and what is in force
 * under the table.
 *
 * @param next the link to the next page (the listing's cursor), empty on the last page
 * @param first the link to the first page, empty on the first page
 * @param canWrite whether the key may create, rotate, seal and scope secrets: without it the page
 *     shows no such control
 * @param policies the policy sets in force, such as {@code KEY-SCOPE-17 · v3}; empty when the key
 *     may not read policies or none exists
 * @param checkpoint the latest signed checkpoint, such as {@code signed · 3F2A · D981}; empty when
 *     the key may not read it or none is signed yet
 */
record VaultPage(
    Frame frame,
    VaultFilter filter,
    List<Row> rows,
    String showing,
    String next,
    String first,
    boolean canWrite,
    List<String> policies,
    Optional<String> checkpoint) {

  /**
   * One secret, masked: the value itself is never here.
   *
   * @param lastAccess such as {@code 12s ago} or {@code never}
   * @param lastAccessIso the time for {@code <time datetime>}; empty when never accessed
   */
  record Row(
      String id,
      String name,
      String provider,
      String scope,
      String environment,
      String owner,
      List<String> tags,
      String masked,
      String fingerprint,
      int version,
      String kind,
      String lastAccess,
      String lastAccessIso) {}
}
