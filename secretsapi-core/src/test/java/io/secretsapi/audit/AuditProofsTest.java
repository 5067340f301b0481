package io.secretsapi.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsapi.ValidationException;
import io.secretsapi.testing.TestStore;
import io.secretsapi.testing.TokenFixture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The trail's proofs on a real store over more than two blocks of records ({@link TrailTree}): each
 * verifies against the signed checkpoint with RFC 9162's verifiers, and equals the proof over every
 * leaf, before and after the trail grows.
 */
class AuditProofsTest {

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void proofs_trailOfSeveralBlocks_verifyAgainstEachSignedCheckpoint(TestStore store)
      throws Exception {
    try (TokenFixture f = TokenFixture.start(store)) {
      issue(f, 2 * TrailTree.BLOCK + 60);
      AuditCheckpoints checkpoints = f.b.core().checkpoints();
      AuditCheckpoints.Checkpoint first = checkpoints.checkpoint().orElseThrow();
      assertThat(first.treeSize()).isGreaterThan(2L * TrailTree.BLOCK);
      provesEveryEdge(f, checkpoints, first);

      issue(f, 40);
      AuditCheckpoints.Checkpoint second = checkpoints.checkpoint().orElseThrow();
      assertThat(second.treeSize()).isGreaterThan(first.treeSize());
      provesEveryEdge(f, checkpoints, second);
      Map<String, Object> c = checkpoints.consistencyProof(first.treeSize(), second.treeSize());
      assertThat(c.get("from_root")).isEqualTo(first.rootHash());
      assertThat(c.get("to_root")).isEqualTo(second.rootHash());
      @SuppressWarnings("unchecked")
      List<String> proof = (List<String>) c.get("proof");
      assertThat(
              MerkleTree.verifyConsistency(
                  first.treeSize(), second.treeSize(), first.rootHash(), second.rootHash(), proof))
          .isTrue();

      assertThatThrownBy(() -> checkpoints.inclusionProof(1, second.treeSize() + 5))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("tree_size must be between 1 and");
    }
  }

  private static void provesEveryEdge(
      TokenFixture f, AuditCheckpoints checkpoints, AuditCheckpoints.Checkpoint cp) {
    List<String> leaves = new ArrayList<>();
    f.b.core().trail().export(f.b.root(), 1, s -> leaves.add(s.leafHash()));
    List<String> signed = leaves.subList(0, (int) cp.treeSize());
    long n = cp.treeSize();
    int b = TrailTree.BLOCK;
    List<Long> offsets = List.of(1L, 2L, (long) b, b + 1L, 2L * b, 2L * b + 1, n - 1, n);
    Map<Long, List<String>> proofs = checkpoints.inclusionProofs(offsets, n);
    for (long offset : offsets) {
      Map<String, Object> one = checkpoints.inclusionProof(offset, n);
      assertThat(one.get("root_hash")).isEqualTo(cp.rootHash());
      assertThat(one.get("leaf_hash")).isEqualTo(signed.get((int) offset - 1));
      assertThat(one.get("proof"))
          .as("offset " + offset)
          .isEqualTo(proofs.get(offset))
          .isEqualTo(MerkleTree.inclusionProof(signed, (int) offset - 1));
      assertThat(
              MerkleTree.verifyInclusion(
                  offset - 1, n, signed.get((int) offset - 1), proofs.get(offset), cp.rootHash()))
          .as("offset " + offset)
          .isTrue();
    }
  }

  private static void issue(TokenFixture f, int n) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        done.add(pool.submit(() -> f.issue("5m")));
      }
      for (Future<?> d : done) {
        d.get();
      }
    } finally {
      pool.shutdown();
    }
  }
}
