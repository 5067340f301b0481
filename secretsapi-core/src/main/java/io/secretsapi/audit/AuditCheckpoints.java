package io.secretsapi.audit;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import io.secretsapi.crypto.KeyMaterialException;
import io.secretsapi.crypto.SigningKeys;
import io.secretsapi.storage.Database;
import io.secretsapi.storage.Leadership;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Signed checkpoints of the audit trail: the Merkle tree head over the first {@code tree_size}
 * records, signed with the audit key (Ed25519, separate from the token key) as a compact JWS whose
 * payload is the canonical JSON of {@code kid}, {@code root_hash}, {@code time} and {@code
 * tree_size}. A checkpoint is made when the trail has grown since the last one: by the leader,
 * which the broker asks every second, and on demand by any node. Anyone holding the audit public
 * key can check one offline.
 */
public final class AuditCheckpoints {
  static final JOSEObjectType TYPE = new JOSEObjectType("secretsapi-checkpoint+jws");

  private final Database db;
  private final SigningKeys keys;
  private final Clock clock;

  /** One signed tree head. */
  public record Checkpoint(long treeSize, String rootHash, Instant time, String kid, String jws) {
    /** The JSON shape of the API and of export receipts. */
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("tree_size", treeSize);
      m.put("root_hash", rootHash);
      m.put("time", time.toString());
      m.put("kid", kid);
      m.put("signature", jws);
      return m;
    }
  }

  // The tree as far as the last checkpoint hashed it: each checkpoint reads only newer leaves.
  private final MerkleTree.CompactRange range = new MerkleTree.CompactRange();
  // the kept roots of whole blocks of the trail, for proofs that read two blocks of leaves at most
  private final TrailTree trail = new TrailTree(this::leafHashes);

  public AuditCheckpoints(Database db, SigningKeys keys, Clock clock) {
    this.db = requireNonNull(db, "db");
    this.keys = requireNonNull(keys, "keys");
    this.clock = requireNonNull(clock, "clock");
  }

  /**
   * A checkpoint of the whole trail as it is now, on request: the latest one, or a new one if it
   * grew. Any node may sign one for its caller.
   */
  public Optional<Checkpoint> checkpoint() {
    return sign(Optional.empty());
  }

  /**
   * The leader's periodic checkpoint: as {@link #checkpoint()}, but written only behind {@code
   * leader}'s fence, with its term, so that a node whose term has ended signs nothing as leader
   * however late it wakes.
   *
   * @throws io.secretsapi.storage.NotLeaderException when this node's term has ended; nothing was
   *     written
   */
  public Optional<Checkpoint> checkpointAsLeader(Leadership leader) {
    return sign(Optional.of(requireNonNull(leader, "leader")));
  }

  private synchronized Optional<Checkpoint> sign(Optional<Leadership> leader) {
    long head =
        db.read(
            h ->
                h.createQuery("SELECT last_offset FROM audit_head WHERE id = 1")
                    .mapTo(Long.class)
                    .one());
    Optional<Checkpoint> last = latest(1).stream().findFirst();
    if (head == 0 || (last.isPresent() && last.get().treeSize() >= head)) {
      return last;
    }
    long have = range.size();
    List<String> leaves =
        db.read(
            h ->
                h.createQuery(
                        "SELECT leaf_hash FROM audit_records WHERE audit_offset > :from"
                            + " AND audit_offset <= :n AND leaf_hash IS NOT NULL"
                            + " ORDER BY audit_offset")
                    .bind("from", have)
                    .bind("n", head)
                    .mapTo(String.class)
                    .list());
    if (leaves.size() != head - have) {
      throw new IllegalStateException(
          "audit trail has " + (have + leaves.size()) + " hashed records below offset " + head);
    }
    leaves.forEach(range::append);
    String root = range.root();
    Instant now = Instant.ofEpochMilli(clock.millis());
    SigningKeys.Active key = keys.active();
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("kid", key.kid());
    payload.put("root_hash", root);
    payload.put("time", now.toString());
    payload.put("tree_size", head);
    JWSObject jws =
        new JWSObject(
            new JWSHeader.Builder(JWSAlgorithm.EdDSA).type(TYPE).keyID(key.kid()).build(),
            new Payload(AuditLog.canonical(payload)));
    try {
      jws.sign(key.signer());
    } catch (JOSEException e) {
      throw new KeyMaterialException("cannot sign an audit checkpoint", e);
    }
    Checkpoint cp = new Checkpoint(head, root, now, key.kid(), jws.serialize());
    db.inTransaction(
        h -> {
          // the fence comes before the write and holds the lease row until the commit
          Long epoch = leader.isPresent() ? leader.get().fence(h) : null;
          return h.createUpdate(
                  "INSERT INTO audit_checkpoints (tree_size, root_hash, created_at, kid, jws,"
                      + " leader_epoch) VALUES (:n, :root, :at, :kid, :jws, :epoch)"
                      + " ON CONFLICT (tree_size) DO NOTHING")
              .bind("n", cp.treeSize())
              .bind("root", cp.rootHash())
              .bind("at", now.toEpochMilli())
              .bind("kid", cp.kid())
              .bind("jws", cp.jws())
              .bind("epoch", epoch)
              .execute();
        });
    return latest(1).stream().findFirst();
  }

  /**
   * An inclusion proof of the record at {@code offset} in the tree of the first {@code treeSize}.
   * It reads the leaves of two blocks at most, whatever the trail's length ({@link TrailTree}).
   */
  public Map<String, Object> inclusionProof(long offset, long treeSize) {
    TrailTree.View tree = tree(treeSize, "tree_size");
    if (offset < 1 || offset > treeSize) {
      throw new io.secretsapi.ValidationException(
          "offset", "range", "offset must be between 1 and tree_size");
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("offset", offset);
    m.put("tree_size", treeSize);
    m.put("leaf_hash", tree.leaf(offset - 1));
    m.put("root_hash", tree.root());
    m.put("proof", tree.inclusionProof(offset - 1));
    return m;
  }

  /**
   * The inclusion proofs of the records at {@code offsets} in the tree of the first {@code
   * treeSize}, sharing the nodes they have in common: offset to its proof (hex, from the leaf up).
   */
  public Map<Long, List<String>> inclusionProofs(
      java.util.Collection<Long> offsets, long treeSize) {
    TrailTree.View tree = tree(treeSize, "tree_size");
    for (long offset : offsets) {
      if (offset < 1 || offset > treeSize) {
        throw new io.secretsapi.ValidationException(
            "offset", "range", "offset must be between 1 and tree_size");
      }
    }
    Map<Long, List<String>> out = new java.util.TreeMap<>();
    for (long offset : offsets) {
      out.put(offset, tree.inclusionProof(offset - 1));
    }
    return out;
  }

  /** A consistency proof from the tree of {@code from} records to the tree of {@code to}. */
  public Map<String, Object> consistencyProof(long from, long to) {
    if (from < 1 || from > to) {
      throw new io.secretsapi.ValidationException("from", "range", "from must be between 1 and to");
    }
    TrailTree.View tree = tree(to, "to");
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("from", from);
    m.put("to", to);
    m.put("from_root", trail.of(from).root());
    m.put("to_root", tree.root());
    m.put("proof", tree.consistencyProof(from));
    return m;
  }

  /** The tree of the first {@code size} records, refused by {@code field} past the trail's head. */
  private TrailTree.View tree(long size, String field) {
    long head =
        db.read(
            h ->
                h.createQuery("SELECT last_offset FROM audit_head WHERE id = 1")
                    .mapTo(Long.class)
                    .one());
    if (size < 1 || size > head) {
      throw new io.secretsapi.ValidationException(
          field, "range", field + " must be between 1 and " + head + ", the size of the trail");
    }
    return trail.of(size);
  }

  /** The leaf hashes of 0-based indexes [from, to): offsets from + 1 to to. */
  private List<String> leafHashes(long from, long to) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT leaf_hash FROM audit_records WHERE audit_offset > :from"
                        + " AND audit_offset <= :to ORDER BY audit_offset")
                .bind("from", from)
                .bind("to", to)
                .mapTo(String.class)
                .list());
  }

  /**
   * The most recent {@code n} checkpoints, newest first.
   *
   * @throws io.secretsapi.ValidationException naming {@code limit} unless {@code n} is 1 to 1000
   */
  public List<Checkpoint> latest(int n) {
    if (n < 1 || n > 1000) {
      throw new io.secretsapi.ValidationException("limit", "range", "limit must be 1 to 1000");
    }
    return db.read(
        h ->
            h.createQuery(
                    "SELECT tree_size, root_hash, created_at, kid, jws FROM audit_checkpoints"
                        + " ORDER BY tree_size DESC LIMIT :n")
                .bind("n", n)
                .map(
                    (rs, c) ->
                        new Checkpoint(
                            rs.getLong(1),
                            rs.getString(2),
                            Instant.ofEpochMilli(rs.getLong(3)),
                            rs.getString(4),
                            rs.getString(5)))
                .list());
  }

  /** The audit public keys, as {@code /audit/jwks.json} serves them. */
  public JWKSet jwks() {
    return keys.jwks();
  }

  /**
   * Checks a checkpoint offline: its signature by a key of {@code publicKeys}, and that the signed
   * payload says what the checkpoint says.
   *
   * @return why it does not hold, or empty when it holds
   */
  public static Optional<String> verify(Checkpoint cp, JWKSet publicKeys) {
    try {
      JWSObject jws = JWSObject.parse(cp.jws());
      if (!JWSAlgorithm.EdDSA.equals(jws.getHeader().getAlgorithm())
          || !TYPE.equals(jws.getHeader().getType())) {
        return Optional.of("the checkpoint is not an EdDSA audit checkpoint");
      }
      JWK key = publicKeys.getKeyByKeyId(jws.getHeader().getKeyID());
      if (!(key instanceof OctetKeyPair okp)
          || !jws.verify(new Ed25519Verifier(okp.toPublicJWK()))) {
        return Optional.of("the checkpoint's signature does not verify with the given public key");
      }
      Map<String, Object> p = jws.getPayload().toJSONObject();
      if (!(p.get("tree_size") instanceof Number n)
          || n.longValue() != cp.treeSize()
          || !cp.rootHash().equals(p.get("root_hash"))) {
        return Optional.of("the checkpoint's fields do not match what was signed");
      }
      return Optional.empty();
    } catch (ParseException | JOSEException | RuntimeException e) {
      return Optional.of("the checkpoint cannot be read: " + e.getMessage());
    }
  }
}
