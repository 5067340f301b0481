package io.secretsapi.token;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/**
 * Secrets contained by an open incident, as this node holds them: each with the last version the
 * incident contains. While a secret is here, no new grant of it is issued, and no grant of a
 * contained version is verified, on any path (proxy, resolve, derive, introspection). Grants of a
 * later version (the incident's own replacements, made after the secret was rotated) pass.
 *
 * <p>The incidents table is the truth; the incident package replaces this set whole after each read
 * of it (at start, on the change feed, every tick). Thread-safe: one immutable map, swapped.
 */
public final class SecretBlocks {
  /** What one incident contains: the incident, and the last version of the secret it contains. */
  public record Block(String incidentId, int throughVersion) {
    public Block {
      requireNonNull(incidentId, "incidentId");
    }
  }

  private volatile Map<String, Block> blocks = Map.of();

  SecretBlocks() {}

  /** The block holding {@code secretId}, if an open incident contains it. */
  public Optional<Block> of(String secretId) {
    return Optional.ofNullable(blocks.get(secretId));
  }

  /** True when a grant of {@code secretId} at {@code version} may not be used. */
  boolean refusesUse(String secretId, int version) {
    Block b = blocks.get(secretId);
    return b != null && version <= b.throughVersion();
  }

  /** Replaces the whole set; true when it blocks something not blocked before. */
  boolean replace(Map<String, Block> next) {
    Map<String, Block> before = blocks;
    blocks = Map.copyOf(next);
    for (Map.Entry<String, Block> e : next.entrySet()) {
      Block old = before.get(e.getKey());
      if (old == null || old.throughVersion() < e.getValue().throughVersion()) {
        return true;
      }
    }
    return false;
  }

  /** Adds one block at once (before its transaction commits: blocking early fails closed). */
  boolean add(String secretId, Block block) {
    Map<String, Block> next = new java.util.HashMap<>(blocks);
    next.put(secretId, block);
    return replace(next);
  }
}
