package io.secretsapi.token;

import java.util.List;

/**
 * A token's family tree: the secret at the root, the token issued for it, and every derivation.
 *
 * @param kind {@code scoped} (issued directly), {@code derived} (a child) or {@code downstream}
 */
public record Lineage(String secretId, String secretStatus, Node root) {
  /** One token of the tree. */
  public record Node(
      String tokenId,
      String kind,
      int depth,
      String subject,
      String scope,
      java.util.Set<Operation> operations,
      String status,
      java.time.Instant expiresAt,
      List<Node> children) {}
}
