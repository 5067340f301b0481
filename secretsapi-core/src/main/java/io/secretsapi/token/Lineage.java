package io.secretsapi.token;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

  /** The tree of {@code family} (every token with root {@code rootId}), from that root down. */
  static Lineage of(String secretId, String secretStatus, String rootId, List<Grant> family) {
    Map<String, List<Grant>> children = new LinkedHashMap<>();
    for (Grant x : family) {
      x.parentId().ifPresent(p -> children.computeIfAbsent(p, k -> new ArrayList<>()).add(x));
    }
    Grant root = family.stream().filter(x -> x.id().equals(rootId)).findFirst().orElseThrow();
    return new Lineage(secretId, secretStatus, node(root, children));
  }

  private static Node node(Grant g, Map<String, List<Grant>> children) {
    String kind = g.depth() == 0 ? "scoped" : g.depth() == 1 ? "derived" : "downstream";
    List<Node> kids =
        children.getOrDefault(g.id(), List.of()).stream().map(c -> node(c, children)).toList();
    return new Node(
        g.id(),
        kind,
        g.depth(),
        g.subject(),
        g.scope(),
        g.operations(),
        g.status(),
        g.expiresAt(),
        kids);
  }
}
