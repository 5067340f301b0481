package io.secretsapi.audit;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The Merkle tree hash of RFC 9162 (section 2.1.1) over leaf hashes.
 *
 * <p>How it works: MTH of no leaves is SHA-256 of nothing; of one leaf, the leaf hash itself
 * (already SHA-256 of 0x00 and the record); of n leaves, SHA-256 of 0x01, MTH of the first k and
 * MTH of the rest, where k is the largest power of two below n. The recursion touches each leaf
 * once: O(n) time, O(log n) stack. Inclusion and consistency proofs build on the same split.
 */
public final class MerkleTree {
  private MerkleTree() {}

  /** The tree head over {@code leafHashes} (hex), in hex. */
  public static String root(List<String> leafHashes) {
    if (leafHashes.isEmpty()) {
      return HexFormat.of().formatHex(sha256().digest());
    }
    byte[][] leaves = new byte[leafHashes.size()][];
    for (int i = 0; i < leaves.length; i++) {
      leaves[i] = HexFormat.of().parseHex(leafHashes.get(i));
    }
    return HexFormat.of().formatHex(root(leaves, 0, leaves.length));
  }

  private static byte[] root(byte[][] leaves, int lo, int hi) {
    int n = hi - lo;
    if (n == 1) {
      return leaves[lo];
    }
    int k = Integer.highestOneBit(n - 1);
    MessageDigest d = sha256();
    d.update((byte) 0x01);
    d.update(root(leaves, lo, lo + k));
    d.update(root(leaves, lo + k, hi));
    return d.digest();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
