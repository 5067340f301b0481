package io.secretsapi.server.console;

import java.util.List;
import java.util.Optional;

/**
 * Trace and lineage (screen 4) of one token: its tree from the sealed root (the secret) through the
 * scoped token to derived and downstream ones, and the access timeline of that tree, from the
 * broker's own records.
 *
 * @param tokenId the token the operator opened
 * @param canRevoke whether the key may revoke ({@code POST /access/revoke}) and the token is still
 *     active: without it the page shows no revoke control
 * @param notice what a revocation from this page did, such as {@code revoked 3 tokens · AU-812}
 */
record LineagePage(
    Frame frame,
    String tokenId,
    String secretId,
    String secretStatus,
    Node root,
    Figures figures,
    List<Step> timeline,
    boolean canRevoke,
    Optional<String> notice) {

  /**
   * One token of the tree.
   *
   * @param ttl what is left of its life, such as {@code ttl 14m 32s}, or its end ({@code revoked},
   *     {@code expired})
   */
  record Node(
      String tokenId,
      String kind,
      int depth,
      String subject,
      String scope,
      String operations,
      String status,
      String ttl,
      String expiresIso,
      boolean viewed,
      List<Node> children) {}

  /** The figures above the tree, for the token opened. */
  record Figures(
      String subject,
      String scope,
      String policy,
      String issued,
      String expires,
      int depth,
      int derivatives,
      String uses,
      String auditRef) {}

  /**
   * One record of the timeline.
   *
   * @param at since the first record, such as {@code +6.41s}
   * @param what the record in words, such as {@code scoped token issued}
   */
  record Step(
      String at,
      String what,
      String type,
      String auditRef,
      String actor,
      Optional<String> tokenId,
      String detail,
      boolean refused) {}
}
