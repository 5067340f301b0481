package io.secretsapi.access;

import static java.util.Objects.requireNonNull;

import io.secretsapi.storage.Database;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The SHA-256 hashes of every API key's secret part, held in memory (the store keeps them for
 * authentication anyway), so that a key's secret pasted alone into a request id, a path id or free
 * text is recognised and kept out of every record and answer. A full key ({@code sk_..._...}) has a
 * credential's shape already; its secret part alone is 43 base64url characters that look like
 * nothing in particular. Keys made on this node are added as they are made; other nodes' arrive
 * with their announcement and the periodic {@link #refresh()}. Thread-safe.
 */
final class KeySecrets {
  private static final Pattern SECRET_PART = Pattern.compile("[A-Za-z0-9_-]{43}");
  private final Database db;
  private volatile Set<ByteBuffer> hashes = Set.of();
  private volatile long generation;

  /** A number that changes whenever the set of known keys does. */
  long generation() {
    return generation;
  }

  KeySecrets(Database db) {
    this.db = requireNonNull(db, "db");
    refresh();
  }

  /** True when {@code candidate} is exactly the secret part of an API key of this broker. */
  boolean contains(String candidate) {
    return candidate.length() == 43
        && SECRET_PART.matcher(candidate).matches()
        && hashes.contains(ByteBuffer.wrap(ApiKeyCodec.hash(candidate)));
  }

  void add(byte[] hash) {
    addAll(List.of(hash));
  }

  /** Learns one key's hash from the store: a key another node made. */
  void learn(String keyId) {
    addAll(
        db.read(
            h ->
                h.createQuery("SELECT secret_hash FROM api_keys WHERE id = :id")
                    .bind("id", keyId)
                    .map((rs, c) -> rs.getBytes(1))
                    .list()));
  }

  private synchronized void addAll(List<byte[]> more) {
    Set<ByteBuffer> next = new HashSet<>(hashes);
    more.forEach(b -> next.add(ByteBuffer.wrap(b.clone())));
    if (next.size() != hashes.size()) {
      hashes = Set.copyOf(next);
      generation++;
    }
  }

  /** Reloads every hash. */
  synchronized void refresh() {
    Set<ByteBuffer> all = new HashSet<>();
    db.read(
            h ->
                h.createQuery("SELECT secret_hash FROM api_keys")
                    .map((rs, c) -> rs.getBytes(1))
                    .list())
        .forEach(b -> all.add(ByteBuffer.wrap(b)));
    if (!all.equals(hashes)) {
      hashes = Set.copyOf(all);
      generation++;
    }
  }
}
