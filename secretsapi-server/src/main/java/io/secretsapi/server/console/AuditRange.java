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
 * <p>Cost: each inclusion proof reads the leaf hashes up to the checkpoint, so the check runs on
 * its own request after the page has rendered, over the page's records only.
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
    int covered = 0;
    long after = 0;
    for (Stored s : shown) {
      if (s.offset() > cp.treeSize()) {
        after++;
        continue;
      }
      Optional<String> bad = check(checkpoints, cp, s);
      if (bad.isPresent()) {
        return new Outcome(false, "not verified: " + bad.get(), List.of(head));
      }
      covered++;
    }
    String tail =
        after == 0
            ? ""
            : "; "
                + after
                + " shown record"
                + (after == 1 ? " is" : "s are")
                + " newer than it and not yet covered";
    if (covered == 0) {
      return new Outcome(
          false, "not verified: no shown record is covered by the " + head + tail, List.of());
    }
    return new Outcome(
        true,
        "verified: "
            + covered
            + " shown record"
            + (covered == 1 ? "" : "s")
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
    for (int i = 1; i < shown.size(); i++) {
      if (shown.get(i).offset() != shown.get(i - 1).offset() + 1) {
        return Optional.empty();
      }
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

  private static Optional<String> check(AuditCheckpoints checkpoints, Checkpoint cp, Stored s) {
    String ref = AuditLog.ref(s.offset());
    String leaf = AuditLog.leafHash(s.record());
    if (!leaf.equals(s.leafHash())) {
      return Optional.of(ref + " does not hash to its stored leaf hash: the record was changed");
    }
    Map<String, Object> proof = checkpoints.inclusionProof(s.offset(), cp.treeSize());
    @SuppressWarnings("unchecked")
    List<String> path = (List<String>) proof.get("proof");
    if (!MerkleTree.verifyInclusion(s.offset() - 1, cp.treeSize(), leaf, path, cp.rootHash())) {
      return Optional.of(
          ref
              + " does not verify against the signed root of size "
              + cp.treeSize()
              + ": the trail was rewritten after it was signed");
    }
    return Optional.empty();
  }
}
