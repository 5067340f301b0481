package io.secretsapi.server.console;

import java.util.List;
import java.util.Optional;

/**
 * The audit replay (screen 5): one page of {@code GET /audit/trail}, its filters, the latest signed
 * checkpoint, and the latest export receipt.
 *
 * @param next the link to the next page (the trail's cursor), empty on the last page
 * @param first the link to the first page, empty on the first page
 * @param checkpoint the latest signed checkpoint, such as {@code 3F2A · D981 · offset 57 · 14:32:11
 *     UTC}; empty when the key may not read it or none is signed yet
 * @param canVerify whether the key may read inclusion proofs ({@code GET /audit/proof/inclusion}):
 *     only then is the shown range checked against the checkpoint
 * @param canExport whether the key may export the chain ({@code GET /audit/export}, admin): without
 *     it the page shows no export control
 * @param receipt the latest export receipt this broker made for the key's principal, if any
 * @param receiptAt when it was made, such as {@code 14:32:11 UTC}; empty without one
 */
record AuditPage(
    Frame frame,
    AuditFilter filter,
    List<Row> rows,
    String next,
    String first,
    Optional<String> checkpoint,
    boolean canVerify,
    boolean canExport,
    Optional<AuditReceipt> receipt,
    String receiptAt) {

  /**
   * One audit record as the broker names it ({@code AU-55182}); empty text where the record holds
   * no such field.
   */
  record Row(
      String ref,
      long offset,
      String time,
      String timeIso,
      String type,
      String actor,
      String subject,
      String secretId,
      String tokenId,
      String decision,
      String reason,
      String policy,
      String leaf) {}
}
