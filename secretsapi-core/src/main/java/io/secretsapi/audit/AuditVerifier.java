package io.secretsapi.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.erdtman.jcs.JsonCanonicalizer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks a run of audit records offline, with no server: each line must be a record in RFC 8785
 * canonical form, its offset one more than the line before, and its {@code prev} the leaf hash of
 * the line before. Stops at the first bad record and names its offset. A record changed and
 * re-canonicalized is caught by the next record's {@code prev}; a change to the very last record
 * needs a signed checkpoint of the tree to be caught.
 *
 * <p>Anchoring: the chain proves only that each record follows the one before it, so a run is worth
 * as much as what vouches for its first record. A run that starts at offset 1 is anchored by the
 * genesis hash, which its first {@code prev} must be; a later start is anchored only by the {@code
 * prev} the caller gives (the last leaf hash of an earlier, verified export). Otherwise the run is
 * {@linkplain #anchored() unanchored}: records cut from its head would go unnoticed, and {@link
 * #requireAnchored()} refuses it. A signed checkpoint covers the trail from offset 1, so it is
 * checked only against a run from offset 1 (where genesis already anchors it) and never anchors a
 * later start.
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
  private byte[] leafStore = new byte[32 * 1024]; // leaf hashes, 32 bytes each, in order
  private int leafCount;
  private final byte[] prevHex = new byte[64]; // the last leaf hash in hex ASCII
  private long expectedOffset = -1;
  private long firstOffset = -1;
  private boolean anchored;
  private String prev; // the expected prev, as text; derived from prevHex once one line was read
  private boolean prevKnown;
  private Result failure;
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private final java.security.MessageDigest sha = sha256();

  private static java.security.MessageDigest sha256() {
    try {
      return java.security.MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /** A verifier whose first record may start at any offset, with any {@code prev}. */
  public AuditVerifier() {}

  /** A verifier that knows the first record's offset and previous leaf hash. */
  public AuditVerifier(long firstOffset, String prevHash) {
    this.expectedOffset = firstOffset;
    this.prev = prevHash;
    this.prevKnown = true;
    this.anchored = true;
    byte[] given = prevHash.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(given, 0, prevHex, 0, Math.min(64, given.length));
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
    if (!offsetInOrder(offset)) {
      return false;
    }
    try {
      if (!new JsonCanonicalizer(line).getEncodedString().equals(line)) {
        return fail(offset, "the record is not in canonical form: it was changed");
      }
    } catch (IOException | RuntimeException e) {
      return fail(offset, "the record cannot be canonicalized");
    }
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    return link(
        offset, !prevKnown || prevText().equals(record.get("prev")), bytes, 0, bytes.length);
  }

  /**
   * Feeds one line given as UTF-8 bytes {@code buf[from, to)}, without the newline: the fast path
   * of {@code secretsapi audit verify}. A line proven canonical in one pass is not parsed; any
   * other goes through {@link #accept(String)}, which decides exactly as before.
   */
  public boolean accept(byte[] buf, int from, int to) {
    if (failure != null) {
      return false;
    }
    CanonicalCheck c = CanonicalCheck.of(buf, from, to);
    if (c == null || c.offset < 0) {
      return accept(new String(buf, from, to - from, StandardCharsets.UTF_8));
    }
    if (!offsetInOrder(c.offset)) {
      return false;
    }
    boolean prevOk =
        !prevKnown
            || (c.prevStart >= 0
                && c.prevEnd - c.prevStart == 64
                && Arrays.equals(buf, c.prevStart, c.prevEnd, prevHex, 0, 64));
    return link(c.offset, prevOk, buf, from, to);
  }

  private boolean offsetInOrder(long offset) {
    if (firstOffset < 0) {
      firstOffset = offset;
      if (!prevKnown && offset == 1) {
        // the first record of the trail: its prev can only be genesis
        setPrev(AuditLog.GENESIS);
        anchored = true;
      }
    }
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
    return true;
  }

  private boolean link(long offset, boolean prevOk, byte[] bytes, int from, int to) {
    if (!prevOk) {
      return fail(
          offset - 1,
          "record "
              + (offset - 1)
              + " does not hash to the prev that record "
              + offset
              + " holds: one of the two was changed");
    }
    sha.update((byte) 0x00);
    sha.update(bytes, from, to - from);
    byte[] leaf = sha.digest();
    if ((leafCount + 1) * 32 > leafStore.length) {
      leafStore = Arrays.copyOf(leafStore, leafStore.length * 2);
    }
    System.arraycopy(leaf, 0, leafStore, leafCount * 32, 32);
    leafCount++;
    for (int k = 0; k < 32; k++) {
      prevHex[2 * k] = HEX[(leaf[k] >> 4) & 0xf];
      prevHex[2 * k + 1] = HEX[leaf[k] & 0xf];
    }
    prev = null;
    prevKnown = true;
    expectedOffset = offset + 1;
    count++;
    return true;
  }

  private void setPrev(String hash) {
    prev = hash;
    prevKnown = true;
    byte[] given = hash.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(given, 0, prevHex, 0, Math.min(64, given.length));
  }

  private String prevText() {
    if (prev == null) {
      prev = new String(prevHex, StandardCharsets.US_ASCII);
    }
    return prev;
  }

  private java.util.List<String> leaves(long n) {
    java.util.List<String> out = new java.util.ArrayList<>((int) n);
    for (int k = 0; k < n; k++) {
      out.add(HexFormat.of().formatHex(leafStore, k * 32, k * 32 + 32));
    }
    return out;
  }

  private boolean fail(long offset, String reason) {
    failure = new Result(false, count, Optional.of(offset), reason, prevKnown ? prevText() : "");
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
    if (firstOffset != 1) {
      return new Result(
          false,
          count,
          Optional.of(firstOffset),
          "the checkpoint covers the trail from offset 1, but these records start at offset "
              + firstOffset
              + ": it cannot be checked against them",
          chain.lastLeafHash());
    }
    if (leafCount < cp.treeSize()) {
      return new Result(
          false,
          count,
          Optional.of((long) leafCount + 1),
          "the checkpoint covers "
              + cp.treeSize()
              + " records, but only "
              + leafCount
              + " are here: records are missing at the end",
          chain.lastLeafHash());
    }
    if (!MerkleTree.root(leaves(cp.treeSize())).equals(cp.rootHash())) {
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

  /**
   * Whether something vouches for the first record: it is the trail's first (offset 1, with the
   * genesis {@code prev}), or its {@code prev} was given to the constructor.
   */
  public boolean anchored() {
    return anchored;
  }

  /** The offset of the first record read, or -1 before any. */
  public long firstOffset() {
    return firstOffset;
  }

  /**
   * The outcome so far, refused as {@code unanchored} when nothing vouches for the first record:
   * whoever cut records from the head of the run would otherwise go unnoticed.
   */
  public Result requireAnchored() {
    Result r = result();
    if (!r.ok() || anchored || count == 0) {
      return r;
    }
    return new Result(
        false,
        count,
        Optional.of(firstOffset),
        "unanchored: the records start at offset "
            + firstOffset
            + ", and nothing vouches for the prev of that first record, so records cut from the"
            + " head would go unnoticed; give the leaf hash of record "
            + (firstOffset - 1)
            + " from an earlier verified export, or export from offset 1",
        r.lastLeafHash());
  }

  /** The outcome so far. */
  public Result result() {
    return failure != null
        ? failure
        : new Result(true, count, Optional.empty(), "ok", prevKnown ? prevText() : "");
  }
}
