package io.secretsapi.audit;

import static java.util.Objects.requireNonNull;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Proofs over the trail's Merkle tree (RFC 9162) that read only the leaves they need, so that a
 * proof costs the same in a trail of a hundred records and of a hundred million.
 *
 * <p>How it works: the tree's left subtrees are perfect and aligned (a subtree of 2<sup>j</sup>
 * leaves starts at a multiple of 2<sup>j</sup>), so the tree over any size is built from the roots
 * of aligned blocks of {@link #BLOCK} leaves, and a block whose leaves all exist never changes: the
 * trail only grows. Each node keeps those roots in memory (32 bytes per block; a million records is
 * 977 of them), computed once from the leaves, block by block, the first time a proof needs them. A
 * proof then reads the leaves of the block of its record and of the tree's unfinished last block,
 * and hashes the block roots above them: about two thousand hashes at a million records, where
 * reading every leaf took about a second.
 *
 * <p>Why a kept root is safe: a proof is only believed when it rebuilds the root a checkpoint
 * signed. A record or leaf hash rewritten in the store after its block's root was kept changes the
 * leaf the proof starts from, so the rebuilt root differs; one rewritten before changes the kept
 * root itself, so no proof through that block rebuilds the signed root either.
 */
final class TrailTree {
  /** Leaves per kept block root: a proof reads at most two blocks of leaves. */
  static final int BLOCK = 1024;

  /**
   * Reads the leaf hashes of 0-based leaf indexes [from, to), in order, as the store holds them.
   */
  interface Leaves {
    List<String> read(long from, long to);
  }

  private final Leaves leaves;
  private final int block;
  // the roots of blocks 0..n-1, each over `block` leaves: filled in order, never changed
  private final List<byte[]> blockRoots = new ArrayList<>();

  TrailTree(Leaves leaves) {
    this(leaves, BLOCK);
  }

  /** With another block size: the tests' small trees. */
  TrailTree(Leaves leaves, int block) {
    this.leaves = requireNonNull(leaves, "leaves");
    if (block < 2 || Integer.bitCount(block) != 1) {
      throw new IllegalArgumentException("block must be a power of two of 2 or more");
    }
    this.block = block;
  }

  /** The tree of the first {@code size} leaves, for the proofs of one request. */
  View of(long size) {
    if (size < 1) {
      throw new IllegalArgumentException("a tree has at least one leaf");
    }
    return new View(size);
  }

  /** The root of block {@code b}, reading and keeping every block up to it not kept yet. */
  private synchronized byte[] blockRoot(long b) {
    while (blockRoots.size() <= b) {
      // up to 64 blocks per read: one query per 65,536 leaves when filling a large trail
      long first = blockRoots.size();
      long last = Math.min(b + 1, first + 64);
      List<String> hex = leaves.read(first * block, last * block);
      if (hex.size() != (last - first) * block) {
        throw new IllegalStateException(
            "the trail is missing leaves between offsets "
                + (first * block + 1)
                + " and "
                + last * block);
      }
      byte[][] all = decode(hex);
      for (int i = 0; i < last - first; i++) {
        blockRoots.add(root(all, i * block, (i + 1) * block));
      }
    }
    return blockRoots.get((int) b);
  }

  /** The tree of the first {@code size} leaves, hashing each node at most once per view. */
  final class View {
    private final long size;
    private final Map<Long, byte[][]> blocksRead = new HashMap<>();
    private final Map<String, byte[]> hashed = new HashMap<>();

    private View(long size) {
      this.size = size;
    }

    long size() {
      return size;
    }

    /** The leaf hash at 0-based {@code index}, in hex. */
    String leaf(long index) {
      return HexFormat.of().formatHex(leafBytes(index));
    }

    /** The tree head, in hex. */
    String root() {
      return HexFormat.of().formatHex(hash(0, size));
    }

    /** The inclusion proof of leaf {@code index} (0-based), from the leaf up, in hex. */
    List<String> inclusionProof(long index) {
      if (index < 0 || index >= size) {
        throw new IllegalArgumentException("leaf index " + index + " is outside a tree of " + size);
      }
      List<String> out = new ArrayList<>();
      path(0, size, index, out);
      return out;
    }

    /** The consistency proof from the first {@code first} leaves to this tree, in hex. */
    List<String> consistencyProof(long first) {
      if (first < 1 || first > size) {
        throw new IllegalArgumentException("size " + first + " is outside 1.." + size);
      }
      List<String> out = new ArrayList<>();
      subproof(0, size, first, true, out);
      return out;
    }

    private void path(long lo, long hi, long m, List<String> out) {
      long n = hi - lo;
      if (n == 1) {
        return;
      }
      long k = Long.highestOneBit(n - 1);
      if (m < lo + k) {
        path(lo, lo + k, m, out);
        out.add(HexFormat.of().formatHex(hash(lo + k, hi)));
      } else {
        path(lo + k, hi, m, out);
        out.add(HexFormat.of().formatHex(hash(lo, lo + k)));
      }
    }

    private void subproof(long lo, long hi, long m, boolean whole, List<String> out) {
      long n = hi - lo;
      if (m == n) {
        if (!whole) {
          out.add(HexFormat.of().formatHex(hash(lo, hi)));
        }
        return;
      }
      long k = Long.highestOneBit(n - 1);
      if (m <= k) {
        subproof(lo, lo + k, m, whole, out);
        out.add(HexFormat.of().formatHex(hash(lo + k, hi)));
      } else {
        subproof(lo + k, hi, m - k, false, out);
        out.add(HexFormat.of().formatHex(hash(lo, lo + k)));
      }
    }

    /** MTH of leaves [lo, hi): kept block roots for whole aligned blocks, else their leaves. */
    private byte[] hash(long lo, long hi) {
      long n = hi - lo;
      if (n == 1) {
        return leafBytes(lo);
      }
      if (n == block && lo % block == 0) {
        return blockRoot(lo / block);
      }
      String key = lo + ":" + hi;
      byte[] h = hashed.get(key);
      if (h == null) {
        long k = Long.highestOneBit(n - 1);
        h = node(hash(lo, lo + k), hash(lo + k, hi));
        hashed.put(key, h);
      }
      return h;
    }

    private byte[] leafBytes(long index) {
      long b = index / block;
      byte[][] leavesOfBlock =
          blocksRead.computeIfAbsent(
              b,
              x -> {
                long from = x * block;
                long to = Math.min(size, from + block);
                List<String> hex = leaves.read(from, to);
                if (hex.size() != to - from) {
                  throw new IllegalStateException(
                      "the trail is missing leaves between offsets " + (from + 1) + " and " + to);
                }
                return decode(hex);
              });
      return leavesOfBlock[(int) (index - b * block)];
    }
  }

  private static byte[] root(byte[][] leaves, int lo, int hi) {
    int n = hi - lo;
    if (n == 1) {
      return leaves[lo];
    }
    int k = Integer.highestOneBit(n - 1);
    return node(root(leaves, lo, lo + k), root(leaves, lo + k, hi));
  }

  private static byte[] node(byte[] left, byte[] right) {
    MessageDigest d = sha256();
    d.update((byte) 0x01);
    d.update(left);
    return d.digest(right);
  }

  private static byte[][] decode(List<String> hex) {
    byte[][] out = new byte[hex.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = HexFormat.of().parseHex(hex.get(i));
    }
    return out;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
