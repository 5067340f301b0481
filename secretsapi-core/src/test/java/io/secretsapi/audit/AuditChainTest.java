package io.secretsapi.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.testing.TestStore;
import io.secretsapi.testing.TokenFixture;
import io.secretsapi.token.RevokeRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AuditChainTest {
  static List<String> export(TokenFixture f) {
    List<String> lines = new ArrayList<>();
    f.b.core().trail().export(f.b.root(), 1, s -> lines.add(s.record()));
    return lines;
  }

  /** Verifies as text and as bytes (the fast path of the CLI); both must reach one verdict. */
  static AuditVerifier.Result verify(List<String> lines) {
    AuditVerifier v = new AuditVerifier(1, AuditLog.GENESIS);
    lines.forEach(v::accept);
    AuditVerifier fast = new AuditVerifier(1, AuditLog.GENESIS);
    try {
      JsonLines.forEach(
          new java.io.ByteArrayInputStream(
              String.join("\n", lines).getBytes(java.nio.charset.StandardCharsets.UTF_8)),
          fast::accept);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    assertThat(fast.result()).isEqualTo(v.result());
    return v.result();
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void export_afterGrantsRefusalsAndRevocations_verifiesWithGapFreeOffsets(TestStore store) {
    try (TokenFixture f = TokenFixture.start(store)) {
      var t = f.issue("5m");
      f.b
          .core()
          .tokens()
          .revoke(
              f.b.root(),
              new RevokeRequest(t.grant().id(), null, null, null, null, null),
              Optional.empty());
      List<String> lines = export(f);
      AuditVerifier.Result r = verify(lines);
      assertThat(r.ok()).as(r.reason()).isTrue();
      assertThat(r.records()).isEqualTo(lines.size()).isGreaterThanOrEqualTo(4);
      assertThat(lines)
          .anyMatch(l -> l.contains("\"type\":\"token.issue\"") && l.contains(t.grant().id()));
      assertThat(String.join("\n", lines)).doesNotContain("CANARY");
      assertThat(t.auditRef())
          .isIn(
              lines.stream()
                  .map(l -> "AU-" + l.replaceAll(".*\"offset\":([0-9]+).*", "$1"))
                  .toList());
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void verify_flippedDroppedSwappedOrRewrittenRecord_namesTheFirstBadOffset(TestStore store) {
    try (TokenFixture f = TokenFixture.start(store)) {
      for (int i = 0; i < 6; i++) {
        f.issue("5m");
      }
      List<String> good = export(f);
      int k = good.size() - 3; // a token.issue record, with records before and after it
      assertThat(good.get(k)).contains("\"decision\":\"allow\"");
      long bad = k + 1;

      List<String> flipped = new ArrayList<>(good);
      flipped.set(k, flipped.get(k).replace("\"decision\":\"allow\"", "\"decision\":\"allaw\""));
      assertThat(verify(flipped).firstBadOffset()).contains(bad);

      List<String> dropped = new ArrayList<>(good);
      dropped.remove(k);
      assertThat(verify(dropped).firstBadOffset()).contains(bad);

      List<String> swapped = new ArrayList<>(good);
      Collections.swap(swapped, k, k + 1);
      assertThat(verify(swapped).firstBadOffset()).contains(bad);

      List<String> spaced = new ArrayList<>(good);
      spaced.set(k, spaced.get(k).replace(",", ", "));
      assertThat(verify(spaced).firstBadOffset()).contains(bad);

      assertThat(verify(good).ok()).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void append_fromManyThreadsAndPaths_keepsOneLinearChain(TestStore store) throws Exception {
    try (TokenFixture f = TokenFixture.start(store)) {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<?>> jobs = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        int n = i;
        jobs.add(
            pool.submit(
                () -> {
                  for (int j = 0; j < 15; j++) {
                    if (n % 4 == 0) {
                      f.b
                          .core()
                          .policies()
                          .put(
                              f.b.root(),
                              "P-" + n,
                              TokenFixture.POLICY.replace("KEY-SCOPE-17", "P-" + n));
                    } else {
                      f.issue("5m");
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> j : jobs) {
        j.get();
      }
      pool.shutdown();
      AuditVerifier.Result r = verify(export(f));
      assertThat(r.ok()).as(r.reason()).isTrue();
      assertThat(r.records()).isGreaterThanOrEqualTo(120);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void checkpoint_cutTailOrRewrittenLastRecord_isCaughtWhereTheChainAloneIsNot(TestStore store) {
    try (TokenFixture f = TokenFixture.start(store)) {
      for (int i = 0; i < 5; i++) {
        f.issue("5m");
      }
      AuditCheckpoints.Checkpoint cp = f.b.core().checkpoints().checkpoint().orElseThrow();
      var keys = f.b.core().checkpoints().jwks();
      List<String> good = export(f);
      assertThat(cp.treeSize()).isEqualTo(good.size());
      assertThat(withCheckpoint(good, cp, keys).ok()).isTrue();

      List<String> cut = new ArrayList<>(good.subList(0, good.size() - 2));
      assertThat(verify(cut).ok()).as("the chain alone cannot see a cut tail").isTrue();
      assertThat(withCheckpoint(cut, cp, keys).firstBadOffset()).contains((long) good.size() - 1);

      List<String> rewritten = new ArrayList<>(good);
      int last = rewritten.size() - 1;
      rewritten.set(
          last,
          AuditLog.canonical(
              new tools.jackson.databind.json.JsonMapper()
                  .readValue(
                      rewritten
                          .get(last)
                          .replace("\"decision\":\"allow\"", "\"decision\":\"deny\""),
                      java.util.Map.class)));
      assertThat(verify(rewritten).ok())
          .as("the chain alone cannot see a rewritten last record")
          .isTrue();
      assertThat(withCheckpoint(rewritten, cp, keys).ok()).isFalse();

      var forged =
          new AuditCheckpoints.Checkpoint(
              cp.treeSize(), "00" + cp.rootHash().substring(2), cp.time(), cp.kid(), cp.jws());
      assertThat(withCheckpoint(good, forged, keys).reason())
          .contains("do not match what was signed");
    }
  }

  static AuditVerifier.Result withCheckpoint(
      List<String> lines, AuditCheckpoints.Checkpoint cp, com.nimbusds.jose.jwk.JWKSet keys) {
    AuditVerifier v = new AuditVerifier(1, AuditLog.GENESIS);
    lines.forEach(v::accept);
    return v.checkpoint(cp, keys);
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void checkpoints_forkOfTwoSignedHeadsOfOneSize_failsNamingTheSize(TestStore store) {
    try (TokenFixture f = TokenFixture.start(store)) {
      f.issue("5m");
      f.issue("5m");
      var keys = f.b.core().checkpoints().jwks();
      AuditCheckpoints.Checkpoint shown = f.b.core().checkpoints().checkpoint().orElseThrow();
      List<String> good = export(f);
      // Someone with the store and the audit key rewrites record 2 and signs a second head.
      f.b
          .db()
          .inTransaction(
              h -> {
                h.execute(
                    "UPDATE audit_records SET leaf_hash = '"
                        + "ab".repeat(32)
                        + "' WHERE audit_offset = 2");
                return h.execute("DELETE FROM audit_checkpoints");
              });
      AuditCheckpoints.Checkpoint forked =
          new AuditCheckpoints(
                  f.b.db(),
                  new io.secretsapi.crypto.SigningKeys(
                      f.b.db(),
                      f.b.envelope(),
                      f.b.clock(),
                      "audit",
                      java.time.Duration.ofDays(3650)),
                  f.b.clock())
              .checkpoint()
              .orElseThrow();
      assertThat(forked.treeSize()).isEqualTo(shown.treeSize());
      assertThat(forked.rootHash()).isNotEqualTo(shown.rootHash());
      assertThat(AuditCheckpoints.verify(forked, keys)).as("validly signed").isEmpty();

      AuditVerifier v = new AuditVerifier(1, AuditLog.GENESIS);
      good.forEach(v::accept);
      AuditVerifier.Result r = v.checkpoints(List.of(shown, forked), keys);
      assertThat(r.ok()).isFalse();
      assertThat(r.reason()).startsWith("fork:");
      assertThat(r.firstBadOffset()).contains(shown.treeSize());

      AuditVerifier alone = new AuditVerifier(1, AuditLog.GENESIS);
      good.forEach(alone::accept);
      assertThat(alone.checkpoints(List.of(shown), keys).ok()).isTrue();
      assertThat(alone.checkpoints(List.of(forked), keys).ok()).isFalse();
    }
  }

  /**
   * Issue 17, defect 11: a run of records cut at its head is unanchored unless its first prev is
   * given; one from offset 1 is anchored by genesis, and a checkpoint is not held against a run
   * that does not start there.
   */
  @ParameterizedTest
  @EnumSource(TestStore.class)
  void requireAnchored_headCutWithoutPrev_refusedAsUnanchored(TestStore store) {
    try (TokenFixture f = TokenFixture.start(store)) {
      f.issue("5m");
      List<String> lines = export(f);
      var cp = f.b.core().checkpoints().checkpoint().orElseThrow();
      var keys = f.b.core().checkpoints().jwks();

      AuditVerifier whole = new AuditVerifier();
      lines.forEach(whole::accept);
      AuditVerifier cut = new AuditVerifier();
      lines.subList(2, lines.size()).forEach(cut::accept);
      AuditVerifier cutWithPrev = new AuditVerifier(3, leafHash(lines.get(1)));
      lines.subList(2, lines.size()).forEach(cutWithPrev::accept);

      assertThat(whole.anchored()).isTrue();
      assertThat(whole.requireAnchored().ok()).isTrue();
      assertThat(cut.result().ok()).isTrue();
      assertThat(cut.anchored()).isFalse();
      assertThat(cut.requireAnchored().ok()).isFalse();
      assertThat(cut.requireAnchored().reason()).startsWith("unanchored");
      assertThat(cut.requireAnchored().firstBadOffset()).contains(3L);
      assertThat(cutWithPrev.requireAnchored().ok()).isTrue();
      assertThat(cutWithPrev.checkpoint(cp, keys).reason())
          .contains("start at offset 3", "cannot be checked");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void accept_firstRecordWithoutGenesisPrev_failsEvenWithoutAGivenPrev(TestStore store) {
    try (TokenFixture f = TokenFixture.start(store)) {
      List<String> lines = new ArrayList<>(export(f));
      lines.set(0, lines.get(0).replace(AuditLog.GENESIS, "1" + AuditLog.GENESIS.substring(1)));
      AuditVerifier v = new AuditVerifier();
      lines.forEach(v::accept);

      assertThat(v.result().ok()).isFalse();
    }
  }

  private static String leafHash(String line) {
    try {
      var sha = java.security.MessageDigest.getInstance("SHA-256");
      sha.update((byte) 0);
      return java.util.HexFormat.of()
          .formatHex(sha.digest(line.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
