package io.secretsapi.server.console;

import java.util.List;

/**
 * The token list in front of the lineage screen: one page of {@code GET /tokens} by secret,
 * principal and status, each token linking to its lineage.
 *
 * @param showing such as {@code showing 12}
 * @param next the link to the next page (the listing's cursor), empty on the last page
 * @param first the link to the first page, empty on the first page
 */
record TokensPage(
    Frame frame,
    String secretId,
    String principal,
    String status,
    List<Row> rows,
    String showing,
    String next,
    String first) {

  /**
   * One token.
   *
   * @param ttl what is left of its life while active, else its status
   */
  record Row(
      String id,
      String kind,
      String secretId,
      String scope,
      String subject,
      String status,
      String ttl,
      String issued,
      String issuedIso) {}
}
