package io.secretsapi.audit;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.erdtman.jcs.JsonCanonicalizer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks a run of audit records offline, with no server: each line must be a record in RFC 8785
 * canonical form, its offset one more than the line before, and its {@code prev} the leaf hash of
 * the line before. The first line may start anywhere; give its expected {@code prev} when known.
 * Stops at the first bad record and names its offset. A record changed and re-canonicalized is
 * caught by the next record's {@code prev}; a change to the very last record needs a signed
 * checkpoint of the tree to be caught.
 */
public final class AuditVerifier {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** What a verification found. */
  public record Result(
      boolean ok,
      long records,
      Optional<Long> firstBadOffset,
      String reason,
      String lastLeafHash) {}

  private long count;
  private final java.util.List<String> leaves = new java.util.ArrayList<>();
  private long expectedOffset = -1;
  private String prev;
  private Result failure;

  /** A verifier whose first record may start at any offset, with any {@code prev}. */
  public AuditVerifier() {}

  /** A verifier that knows the first record's offset and previous leaf hash. */
  public AuditVerifier(long firstOffset, String prevHash) {
    this.expectedOffset = firstOffset;
    this.prev = prevHash;
  }

  /** Feeds one line; false once a bad record has been found. */
  public boolean accept(String line) {
    if (failure != null) {
      return false;
    }
    long at = expectedOffset;
    Map<?, ?> record;
    try {
      record = JSON.readValue(line, Map.class);
    } catch (JacksonException e) {
      return fail(at, "the line is not a JSON record");
    }
    if (!(record.get("offset") instanceof Number n)) {
      return fail(at, "the record has no offset");
    }
    long offset = n.longValue();
    if (expectedOffset >= 0 && offset != expectedOffset) {
      return fail(
          expectedOffset,
          "expected offset "
              + expectedOffset
              + " but found "
              + offset
              + (offset > expectedOffset
                  ? ": records are missing"
                  : ": records are repeated or out of order"));
    }
    try {
      if (!new JsonCanonicalizer(line).getEncodedString().equals(line)) {
        return fail(offset, "the record is not in canonical form: it was changed");
      }
    } catch (IOException | RuntimeException e) {
      return fail(offset, "the record cannot be canonicalized");
    }
    if (prev != null && !prev.equals(record.get("prev"))) {
      return fail(
          offset - 1,
          "record "
              + (offset - 1)
              + " does not hash to the prev that record "
              + offset
              + " holds: one of the two was changed");
    }
    prev = AuditLog.leafHash(line);
    leaves.add(prev);
    expectedOffset = offset + 1;
    count++;
    return true;
  }

  private boolean fail(long offset, String reason) {
    failure = new Result(false, count, Optional.of(offset), reason, prev == null ? "" : prev);
    return false;
  }

  /**
   * Checks the records read so far, which must start at offset 1, against a signed checkpoint: its
   * signature by one of {@code publicKeys}, that every record it covers is present, and that they
   * hash to its tree head. Catches what the chain alone cannot: a cut tail, a rewritten last
   * record.
   */
  public Result checkpoint(
      AuditCheckpoints.Checkpoint cp, com.nimbusds.jose.jwk.JWKSet publicKeys) {
    Result chain = result();
    if (!chain.ok()) {
      return chain;
    }
    Optional<String> bad = AuditCheckpoints.verify(cp, publicKeys);
    if (bad.isPresent()) {
      return new Result(false, count, Optional.of(cp.treeSize()), bad.get(), chain.lastLeafHash());
    }
    if (leaves.size() < cp.treeSize()) {
      return new Result(
          false,
          count,
          Optional.of((long) leaves.size() + 1),
          "the checkpoint covers "
              + cp.treeSize()
              + " records, but only "
              + leaves.size()
              + " are here: records are missing at the end",
          chain.lastLeafHash());
    }
    if (!MerkleTree.root(leaves.subList(0, (int) cp.treeSize())).equals(cp.rootHash())) {
      return new Result(
          false,
          count,
          Optional.of(cp.treeSize()),
          "the records do not hash to the signed tree head"
              + " of size "
              + cp.treeSize()
              + ": records were rewritten",
          chain.lastLeafHash());
    }
    return new Result(
        true,
        count,
        Optional.empty(),
        "ok, and matches the signed checkpoint of size " + cp.treeSize(),
        chain.lastLeafHash());
  }

  /**
   * Checks the records against several signed checkpoints, say the export's own and ones an auditor
   * kept from earlier: each as {@link #checkpoint} does, and first that no two validly signed
   * checkpoints of one size disagree on the root. Such a pair is a fork: the trail was rewritten
   * and shown differently to different readers; the answer names the records of that size.
   */
  public Result checkpoints(
      java.util.List<AuditCheckpoints.Checkpoint> cps, com.nimbusds.jose.jwk.JWKSet publicKeys) {
    Result chain = result();
    if (!chain.ok()) {
      return chain;
    }
    Map<Long, AuditCheckpoints.Checkpoint> bySize = new java.util.TreeMap<>();
    for (AuditCheckpoints.Checkpoint cp : cps) {
      Optional<String> bad = AuditCheckpoints.verify(cp, publicKeys);
      if (bad.isPresent()) {
        return new Result(
            false, count, Optional.of(cp.treeSize()), bad.get(), chain.lastLeafHash());
      }
      AuditCheckpoints.Checkpoint seen = bySize.putIfAbsent(cp.treeSize(), cp);
      if (seen != null && !seen.rootHash().equals(cp.rootHash())) {
        return new Result(
            false,
            count,
            Optional.of(cp.treeSize()),
            "fork: two signed checkpoints of size "
                + cp.treeSize()
                + " have different roots ("
                + seen.rootHash()
                + " and "
                + cp.rootHash()
                + "); the records up to offset "
                + cp.treeSize()
                + " were shown differently to different readers",
            chain.lastLeafHash());
      }
    }
    Result last = chain;
    for (AuditCheckpoints.Checkpoint cp : bySize.values()) {
      last = checkpoint(cp, publicKeys);
      if (!last.ok()) {
        return last;
      }
    }
    return last;
  }

  /** The outcome so far. */
  public Result result() {
    return failure != null
        ? failure
        : new Result(true, count, Optional.empty(), "ok", prev == null ? "" : prev);
  }
}
