package io.secretsapi.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Proofs from kept block roots equal the proofs over every leaf ({@link MerkleTree}, itself checked
 * against RFC 9162's verifiers), read only the blocks they need, and a rewritten leaf never proves.
 */
class TrailTreeTest {

  @Test
  void proofs_everySizeIndexAndBlock_equalTheProofsOverEveryLeaf() {
    List<String> all = leaves(70);
    for (int block : new int[] {2, 4, 8, 16}) {
      TrailTree tree = new TrailTree((from, to) -> all.subList((int) from, (int) to), block);
      for (int size = 1; size <= all.size(); size++) {
        List<String> prefix = all.subList(0, size);
        TrailTree.View view = tree.of(size);
        String root = MerkleTree.root(prefix);
        assertThat(view.root()).as("root, block %d size %d", block, size).isEqualTo(root);
        for (int i = 0; i < size; i++) {
          assertThat(view.inclusionProof(i))
              .as("inclusion, block %d size %d index %d", block, size, i)
              .isEqualTo(MerkleTree.inclusionProof(prefix, i));
          assertThat(view.leaf(i)).isEqualTo(prefix.get(i));
        }
        for (int first = 1; first <= size; first++) {
          assertThat(view.consistencyProof(first))
              .as("consistency, block %d from %d to %d", block, first, size)
              .isEqualTo(MerkleTree.consistencyProof(prefix, first));
        }
      }
    }
  }

  @Test
  void inclusionProof_largeTrailOnceKept_readsTwoBlocksOfLeavesAtMost() {
    List<String> all = leaves(100_000);
    AtomicLong read = new AtomicLong();
    TrailTree tree =
        new TrailTree(
            (from, to) -> {
              read.addAndGet(to - from);
              return all.subList((int) from, (int) to);
            },
            64);
    TrailTree.View first = tree.of(99_999);
    assertThat(first.root()).isEqualTo(MerkleTree.root(all.subList(0, 99_999)));
    assertThat(read.get()).as("the first proof keeps every block once").isLessThan(100_000 + 64);

    for (long index : new long[] {0, 31_337, 65_535, 65_536, 99_998}) {
      read.set(0);
      TrailTree.View view = tree.of(99_999);
      List<String> proof = view.inclusionProof(index);
      assertThat(read.get()).as("leaves read for index " + index).isLessThanOrEqualTo(2 * 64);
      assertThat(
              MerkleTree.verifyInclusion(index, 99_999, all.get((int) index), proof, first.root()))
          .isTrue();
    }
    read.set(0);
    tree.of(100_000).consistencyProof(50_000);
    assertThat(read.get()).as("a consistency proof's leaves").isLessThanOrEqualTo(2 * 64);
  }

  @Test
  void inclusionProof_leafRewrittenAfterItsBlockWasKept_doesNotProveAgainstTheSignedRoot() {
    List<String> all = new ArrayList<>(leaves(300));
    TrailTree tree = new TrailTree((from, to) -> all.subList((int) from, (int) to), 16);
    String signed = tree.of(300).root();
    // someone with the store rewrites record 101 and its leaf hash, consistently
    all.set(100, leaf("forged"));
    TrailTree.View view = tree.of(300);
    assertThat(MerkleTree.verifyInclusion(100, 300, all.get(100), view.inclusionProof(100), signed))
        .isFalse();
    // and a tree that keeps its blocks after the rewrite has another root: nothing proves
    TrailTree fresh = new TrailTree((from, to) -> all.subList((int) from, (int) to), 16);
    assertThat(fresh.of(300).root()).isNotEqualTo(signed);
  }

  @Test
  void proof_trailMissingALeaf_failsRatherThanProvingAnotherTree() {
    List<String> all = leaves(40);
    TrailTree tree =
        new TrailTree(
            (from, to) -> {
              List<String> l = new ArrayList<>(all.subList((int) from, (int) to));
              l.removeIf(x -> x.equals(all.get(20)));
              return l;
            },
            8);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> tree.of(40).root())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("missing leaves");
  }

  private static List<String> leaves(int n) {
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(leaf("record " + i));
    }
    return out;
  }

  private static String leaf(String record) {
    return AuditLog.leafHash(record);
  }
}
