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
 * once: O(n) time, O(log n) stack.
 *
 * <p>Proofs (RFC 9162 sections 2.1.3 and 2.1.4) follow the same split. An inclusion proof of leaf m
 * in a tree of n leaves is the list of sibling subtree hashes from the leaf up; a consistency proof
 * from size m to size n is the list of subtree hashes that let a verifier rebuild both heads. The
 * verifiers are the RFC's algorithms, walking the proof with the binary digits of the index and the
 * last index; they refuse indexes out of range, proofs too long or too short, and sizes out of
 * order.
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

  /** The inclusion proof of leaf {@code index} (0-based) in the tree of {@code leafHashes}. */
  public static List<String> inclusionProof(List<String> leafHashes, int index) {
    if (index < 0 || index >= leafHashes.size()) {
      throw new IllegalArgumentException(
          "leaf index " + index + " is outside a tree of " + leafHashes.size());
    }
    byte[][] leaves = decode(leafHashes);
    List<String> out = new java.util.ArrayList<>();
    path(leaves, 0, leaves.length, index, out);
    return out;
  }

  private static void path(byte[][] leaves, int lo, int hi, int m, List<String> out) {
    int n = hi - lo;
    if (n == 1) {
      return;
    }
    int k = Integer.highestOneBit(n - 1);
    if (m < k) {
      path(leaves, lo, lo + k, m, out);
      out.add(HexFormat.of().formatHex(root(leaves, lo + k, hi)));
    } else {
      path(leaves, lo + k, hi, m - k, out);
      out.add(HexFormat.of().formatHex(root(leaves, lo, lo + k)));
    }
  }

  /**
   * The inclusion proofs of several leaves (0-based indexes) in one pass over the tree: each node
   * is hashed once, so proving many leaves costs what proving one does. Answers each index's proof,
   * equal to {@link #inclusionProof} of that index.
   */
  public static java.util.Map<Integer, List<String>> inclusionProofs(
      List<String> leafHashes, java.util.Collection<Integer> indexes) {
    java.util.TreeMap<Integer, List<String>> out = new java.util.TreeMap<>();
    for (int index : indexes) {
      if (index < 0 || index >= leafHashes.size()) {
        throw new IllegalArgumentException(
            "leaf index " + index + " is outside a tree of " + leafHashes.size());
      }
      out.put(index, new java.util.ArrayList<>());
    }
    if (!out.isEmpty()) {
      paths(decode(leafHashes), 0, leafHashes.size(), out);
    }
    return out;
  }

  /** The root of leaves [lo, hi), adding each sibling on the way to the paths of the indexes. */
  private static byte[] paths(
      byte[][] leaves, int lo, int hi, java.util.NavigableMap<Integer, List<String>> wanted) {
    int n = hi - lo;
    if (n == 1) {
      return leaves[lo];
    }
    int k = Integer.highestOneBit(n - 1);
    var left = wanted.subMap(lo, true, lo + k, false);
    var right = wanted.subMap(lo + k, true, hi, false);
    byte[] l = left.isEmpty() ? root(leaves, lo, lo + k) : paths(leaves, lo, lo + k, left);
    byte[] r = right.isEmpty() ? root(leaves, lo + k, hi) : paths(leaves, lo + k, hi, right);
    left.values().forEach(path -> path.add(HexFormat.of().formatHex(r)));
    right.values().forEach(path -> path.add(HexFormat.of().formatHex(l)));
    return node(l, r);
  }

  /** The consistency proof from the first {@code first} leaves to all of {@code leafHashes}. */
  public static List<String> consistencyProof(List<String> leafHashes, int first) {
    if (first < 1 || first > leafHashes.size()) {
      throw new IllegalArgumentException("size " + first + " is outside 1.." + leafHashes.size());
    }
    byte[][] leaves = decode(leafHashes);
    List<String> out = new java.util.ArrayList<>();
    subproof(leaves, 0, leaves.length, first, true, out);
    return out;
  }

  private static void subproof(
      byte[][] leaves, int lo, int hi, int m, boolean whole, List<String> out) {
    int n = hi - lo;
    if (m == n) {
      if (!whole) {
        out.add(HexFormat.of().formatHex(root(leaves, lo, hi)));
      }
      return;
    }
    int k = Integer.highestOneBit(n - 1);
    if (m <= k) {
      subproof(leaves, lo, lo + k, m, whole, out);
      out.add(HexFormat.of().formatHex(root(leaves, lo + k, hi)));
    } else {
      subproof(leaves, lo + k, hi, m - k, false, out);
      out.add(HexFormat.of().formatHex(root(leaves, lo, lo + k)));
    }
  }

  /**
   * RFC 9162 2.1.3.2: does {@code proof} place {@code leafHash} at {@code index} under {@code
   * root}?
   */
  public static boolean verifyInclusion(
      long index, long treeSize, String leafHash, List<String> proof, String root) {
    if (index < 0 || index >= treeSize) {
      return false;
    }
    long fn = index;
    long sn = treeSize - 1;
    byte[] r = HexFormat.of().parseHex(leafHash);
    for (String p : proof) {
      if (sn == 0) {
        return false;
      }
      byte[] h = HexFormat.of().parseHex(p);
      if ((fn & 1) == 1 || fn == sn) {
        r = node(h, r);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        }
      } else {
        r = node(r, h);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 && HexFormat.of().formatHex(r).equals(root);
  }

  /**
   * RFC 9162 2.1.4.2: does {@code proof} show that the tree of {@code first} leaves with head
   * {@code firstRoot} is a prefix of the tree of {@code second} leaves with head {@code
   * secondRoot}? Refuses {@code first} > {@code second} and sizes below 1.
   */
  public static boolean verifyConsistency(
      long first, long second, String firstRoot, String secondRoot, List<String> proof) {
    if (first < 1 || first > second) {
      return false;
    }
    if (first == second) {
      return proof.isEmpty() && firstRoot.equals(secondRoot);
    }
    if (proof.isEmpty()) {
      return false;
    }
    List<String> path = new java.util.ArrayList<>(proof);
    if (Long.bitCount(first) == 1) {
      path.add(0, firstRoot);
    }
    long fn = first - 1;
    long sn = second - 1;
    while ((fn & 1) == 1) {
      fn >>= 1;
      sn >>= 1;
    }
    byte[] fr = HexFormat.of().parseHex(path.get(0));
    byte[] sr = fr;
    for (String c : path.subList(1, path.size())) {
      if (sn == 0) {
        return false;
      }
      byte[] h = HexFormat.of().parseHex(c);
      if ((fn & 1) == 1 || fn == sn) {
        fr = node(h, fr);
        sr = node(h, sr);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        }
      } else {
        sr = node(sr, h);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0
        && HexFormat.of().formatHex(fr).equals(firstRoot)
        && HexFormat.of().formatHex(sr).equals(secondRoot);
  }

  /**
   * The right edge of a growing tree: the roots of its perfect subtrees, largest first. Appending a
   * leaf costs O(log n) amortized, the head O(log n): a checkpoint hashes only what is new.
   */
  public static final class CompactRange {
    private final List<byte[]> roots = new java.util.ArrayList<>();
    private final List<Long> sizes = new java.util.ArrayList<>();
    private long size;

    /** Appends the leaf hash {@code leafHex} (already 0x00-prefixed and hashed). */
    public void append(String leafHex) {
      byte[] n = HexFormat.of().parseHex(leafHex);
      long s = 1;
      while (!sizes.isEmpty() && sizes.get(sizes.size() - 1) == s) {
        n = node(roots.remove(roots.size() - 1), n);
        sizes.remove(sizes.size() - 1);
        s *= 2;
      }
      roots.add(n);
      sizes.add(s);
      size++;
    }

    public long size() {
      return size;
    }

    /** The tree head over every leaf appended, in hex; equal to {@link MerkleTree#root}. */
    public String root() {
      if (roots.isEmpty()) {
        return HexFormat.of().formatHex(sha256().digest());
      }
      byte[] acc = roots.get(roots.size() - 1);
      for (int i = roots.size() - 2; i >= 0; i--) {
        acc = node(roots.get(i), acc);
      }
      return HexFormat.of().formatHex(acc);
    }
  }

  private static byte[] node(byte[] left, byte[] right) {
    MessageDigest d = sha256();
    d.update((byte) 0x01);
    d.update(left);
    return d.digest(right);
  }

  private static byte[][] decode(List<String> leafHashes) {
    byte[][] leaves = new byte[leafHashes.size()][];
    for (int i = 0; i < leaves.length; i++) {
      leaves[i] = HexFormat.of().parseHex(leafHashes.get(i));
    }
    return leaves;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
