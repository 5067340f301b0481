package io.secretsapi.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reference tree heads of RFC 6962 / RFC 9162 test data, for every size from 0 to 8. */
class MerkleTreeTest {
  static final String[] INPUTS = {
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f"
  };
  static final String[] ROOTS = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"
  };

  static String leaf(String hexInput) throws Exception {
    MessageDigest d = MessageDigest.getInstance("SHA-256");
    d.update((byte) 0);
    return HexFormat.of().formatHex(d.digest(HexFormat.of().parseHex(hexInput)));
  }

  @Test
  void compactRange_everySizeUpTo70_equalsTheFullRoot() {
    MerkleTree.CompactRange range = new MerkleTree.CompactRange();
    java.util.List<String> leaves = new java.util.ArrayList<>();
    assertThat(range.root()).isEqualTo(MerkleTree.root(leaves));
    for (int i = 0; i < 70; i++) {
      String leaf = AuditLog.leafHash("record " + i);
      leaves.add(leaf);
      range.append(leaf);
      assertThat(range.root()).as("size " + (i + 1)).isEqualTo(MerkleTree.root(leaves));
    }
  }

  @Test
  void root_referenceInputs_matchTheRfcTreeHeads() throws Exception {
    List<String> leaves = new ArrayList<>();
    assertThat(MerkleTree.root(leaves)).isEqualTo(ROOTS[0]);
    for (int n = 1; n <= 8; n++) {
      leaves.add(leaf(INPUTS[n - 1]));
      assertThat(MerkleTree.root(leaves)).as("size %d", n).isEqualTo(ROOTS[n]);
    }
  }

  @Test
  void leafHash_ofARecord_isSha256OfZeroAndTheBytes() throws Exception {
    assertThat(AuditLog.leafHash("")).isEqualTo(ROOTS[1]);
  }

  static List<String> leaves(int n) throws Exception {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(leaf(String.format("%04x", i * 7 + 3)));
    }
    return out;
  }

  @Test
  void inclusionProof_referenceVector_matchesTheRfcData() throws Exception {
    List<String> ref = new ArrayList<>();
    for (String in : INPUTS) {
      ref.add(leaf(in));
    }
    assertThat(MerkleTree.inclusionProof(ref, 0))
        .containsExactly(
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
  }

  @Test
  void inclusionProofs_everyLeafOfEverySizeTo40_verifyAndAlteredOnesDoNot() throws Exception {
    for (int n = 1; n <= 40; n++) {
      List<String> l = leaves(n);
      String root = MerkleTree.root(l);
      for (int m = 0; m < n; m++) {
        List<String> proof = MerkleTree.inclusionProof(l, m);
        assertThat(MerkleTree.verifyInclusion(m, n, l.get(m), proof, root))
            .as("leaf %d of %d", m, n)
            .isTrue();
        String biggerRoot = MerkleTree.root(leaves(n + 1));
        assertThat(MerkleTree.verifyInclusion(m, n + 1, l.get(m), proof, biggerRoot))
            .as("wrong size")
            .isFalse();
        if (n > 1) {
          assertThat(MerkleTree.verifyInclusion((m + 1) % n, n, l.get(m), proof, root))
              .as("wrong index")
              .isFalse();
        }
        List<String> longer = new ArrayList<>(proof);
        longer.add(root);
        assertThat(MerkleTree.verifyInclusion(m, n, l.get(m), longer, root))
            .as("over-long proof")
            .isFalse();
      }
      assertThat(MerkleTree.verifyInclusion(n, n, l.get(0), List.of(), root))
          .as("index out of range")
          .isFalse();
    }
  }

  @Test
  void consistencyProofs_everyPairOfSizesTo40_verifyAndBadOnesDoNot() throws Exception {
    List<String> all = leaves(40);
    for (int second = 1; second <= 40; second++) {
      List<String> big = all.subList(0, second);
      String secondRoot = MerkleTree.root(big);
      for (int first = 1; first <= second; first++) {
        String firstRoot = MerkleTree.root(all.subList(0, first));
        List<String> proof = MerkleTree.consistencyProof(big, first);
        assertThat(MerkleTree.verifyConsistency(first, second, firstRoot, secondRoot, proof))
            .as("%d to %d", first, second)
            .isTrue();
        if (first < second) {
          assertThat(MerkleTree.verifyConsistency(second, first, secondRoot, firstRoot, proof))
              .as("from > to")
              .isFalse();
          String biggerRoot = MerkleTree.root(all.subList(0, second + 1 > 40 ? 40 : second + 1));
          if (second < 40) {
            assertThat(
                    MerkleTree.verifyConsistency(first, second + 1, firstRoot, biggerRoot, proof))
                .as("wrong size")
                .isFalse();
          }
          List<String> longer = new ArrayList<>(proof);
          longer.add(secondRoot);
          assertThat(MerkleTree.verifyConsistency(first, second, firstRoot, secondRoot, longer))
              .as("over-long")
              .isFalse();
          String forked = MerkleTree.root(leaves(second + 1).subList(1, second + 1));
          assertThat(MerkleTree.verifyConsistency(first, second, firstRoot, forked, proof))
              .as("fork")
              .isFalse();
        }
      }
    }
  }

  @Test
  void inclusionProofs_manyLeavesInOnePass_equalEachLeafsOwnProof() {
    java.util.Random random = new java.util.Random(20261207);
    for (int size = 1; size <= 70; size++) {
      java.util.List<String> leaves = new java.util.ArrayList<>();
      for (int i = 0; i < size; i++) {
        byte[] b = new byte[32];
        random.nextBytes(b);
        leaves.add(java.util.HexFormat.of().formatHex(b));
      }
      java.util.List<Integer> some = new java.util.ArrayList<>();
      for (int i = 0; i < size; i++) {
        if (random.nextInt(3) == 0 || i == size - 1) {
          some.add(i);
        }
      }

      var proofs = MerkleTree.inclusionProofs(leaves, some);

      assertThat(proofs.keySet()).containsExactlyElementsOf(some);
      for (int i : some) {
        assertThat(proofs.get(i))
            .as("size %d, leaf %d", size, i)
            .isEqualTo(MerkleTree.inclusionProof(leaves, i));
      }
    }
  }
}
