package io.secretsapi.server.console;

import io.secretsapi.audit.AuditCheckpoints;
import io.secretsapi.audit.AuditCheckpoints.Checkpoint;
import io.secretsapi.audit.AuditLog;
import io.secretsapi.audit.AuditTrail.Stored;
import io.secretsapi.audit.AuditVerifier;
import io.secretsapi.audit.MerkleTree;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether the records a page shows verify against the latest signed checkpoint, with the broker's
 * own checks: the checkpoint's Ed25519 signature against the audit keys ({@link
 * AuditCheckpoints#verify}, as {@code secretsapi audit verify} checks it), then for each shown
 * record covered by it, that its canonical text hashes to its leaf hash ({@link AuditLog#leafHash})
 * and that the RFC 9162 inclusion proof of {@code GET /audit/proof/inclusion} places that leaf
 * under the signed root ({@link MerkleTree#verifyInclusion}). A record changed in the store, with
 * or without its stored leaf hash, fails one of the two and is named.
 *
 * <p>Cost: the proofs read the leaves of the blocks the shown records fall in and the kept roots of
 * the other blocks (design 0024), whatever the trail's length; the check still runs on its own
 * request after the page has rendered, over the page's records only.
 */
final class AuditRange {
  /** The outcome shown under the records. */
  record Outcome(boolean verified, String headline, List<String> details) {}

  private AuditRange() {}

  static Outcome verify(AuditCheckpoints checkpoints, List<Stored> shown, java.time.Instant now) {
    Optional<Checkpoint> latest = checkpoints.latest(1).stream().findFirst();
    if (latest.isEmpty()) {
      return new Outcome(false, "not verified: no signed checkpoint yet", List.of());
    }
    Checkpoint cp = latest.get();
    String head =
        "checkpoint of size " + cp.treeSize() + " (" + HeaderBand.shortHash(cp.rootHash()) + ")";
    Optional<String> badSignature = AuditCheckpoints.verify(cp, checkpoints.jwks());
    if (badSignature.isPresent()) {
      return new Outcome(false, "not verified: " + badSignature.get(), List.of(head));
    }
    Optional<String> broken = chain(shown);
    if (broken.isPresent()) {
      return new Outcome(false, "not verified: " + broken.get(), List.of(head));
    }
    List<Stored> covered = shown.stream().filter(s -> s.offset() <= cp.treeSize()).toList();
    long after = shown.size() - covered.size();
    Optional<String> bad = check(checkpoints, cp, covered, consecutive(shown));
    if (bad.isPresent()) {
      return new Outcome(false, "not verified: " + bad.get(), List.of(head));
    }
    String tail =
        after == 0
            ? ""
            : "; "
                + after
                + " shown record"
                + (after == 1 ? " is" : "s are")
                + " newer than it and not yet covered";
    if (covered.isEmpty()) {
      return new Outcome(
          false, "not verified: no shown record is covered by the " + head + tail, List.of());
    }
    return new Outcome(
        true,
        "verified: "
            + covered.size()
            + " shown record"
            + (covered.size() == 1 ? "" : "s")
            + " included in the signed "
            + head
            + tail,
        List.of("signed by " + cp.kid() + " at " + Times.utc(cp.time(), now)));
  }

  /**
   * When the shown records are one run of consecutive offsets, the offline verifier's chain check
   * over them ({@link AuditVerifier}): each record canonical and holding the leaf hash of the one
   * before as its {@code prev}, so that a changed record is named even when its stored leaf hash
   * was changed with it.
   */
  private static Optional<String> chain(List<Stored> shown) {
    if (!consecutive(shown)) {
      return Optional.empty();
    }
    AuditVerifier v = new AuditVerifier();
    for (Stored s : shown) {
      if (!v.accept(s.record())) {
        break;
      }
    }
    AuditVerifier.Result r = v.result();
    return r.ok()
        ? Optional.empty()
        : Optional.of(
            r.firstBadOffset().map(AuditLog::ref).map(x -> x + ": ").orElse("") + r.reason());
  }

  private static boolean consecutive(List<Stored> shown) {
    for (int i = 1; i < shown.size(); i++) {
      if (shown.get(i).offset() != shown.get(i - 1).offset() + 1) {
        return false;
      }
    }
    return true;
  }

  /**
   * Each covered record hashes to its stored leaf hash, and is included under the signed root. A
   * consecutive run whose chain verified needs the proof of its last record only: each record holds
   * the leaf hash of the one before, so the last one's leaf pins them all. Otherwise every covered
   * record is proved, in one pass over the tree ({@link AuditCheckpoints#inclusionProofs}).
   */
  private static Optional<String> check(
      AuditCheckpoints checkpoints, Checkpoint cp, List<Stored> covered, boolean chained) {
    for (Stored s : covered) {
      if (!AuditLog.leafHash(s.record()).equals(s.leafHash())) {
        return Optional.of(
            AuditLog.ref(s.offset())
                + " does not hash to its stored leaf hash: the record was changed");
      }
    }
    if (covered.isEmpty()) {
      return Optional.empty();
    }
    List<Stored> proved = chained ? List.of(covered.get(covered.size() - 1)) : covered;
    Map<Long, List<String>> proofs =
        checkpoints.inclusionProofs(proved.stream().map(Stored::offset).toList(), cp.treeSize());
    for (Stored s : proved) {
      List<String> path = proofs.get(s.offset());
      if (!MerkleTree.verifyInclusion(
          s.offset() - 1, cp.treeSize(), s.leafHash(), path, cp.rootHash())) {
        return Optional.of(
            AuditLog.ref(s.offset())
                + " does not verify against the signed root of size "
                + cp.treeSize()
                + ": the trail was rewritten after it was signed");
      }
    }
    return Optional.empty();
  }
}
