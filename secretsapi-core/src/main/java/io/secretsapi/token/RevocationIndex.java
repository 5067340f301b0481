package io.secretsapi.token;

import io.secretsapi.storage.Database;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What has been revoked, in memory, for an O(depth) check on every use.
 *
 * <p>How it works: the {@code revocations} table is the truth; every row has a sequence number.
 * This index loads every row at start and applies each new row after its transaction commits, so a
 * revocation holds before its answer returns and after a restart. {@link #catchUp} reads the rows
 * past the last sequence it read, which is how nodes sharing PostgreSQL learn of each other's
 * revocations: at once when {@link RevocationFeed} hears of one, and every second regardless. A
 * token is revoked when its id was revoked; when one of its ancestors was revoked with cascade; or
 * when its secret, principal or issuing API key was revoked at or after the token was issued. Each
 * token carries its ancestors, so the check walks no tree.
 */
public final class RevocationIndex {
  private final Set<String> subtrees = ConcurrentHashMap.newKeySet();
  private final Set<String> singles = ConcurrentHashMap.newKeySet();
  private final Map<String, Long> secrets = new ConcurrentHashMap<>();
  private final Map<String, Long> principals = new ConcurrentHashMap<>();
  private final Map<String, Long> apiKeys = new ConcurrentHashMap<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private volatile long lastSeq;

  /** One revocation row. */
  record Revocation(long seq, String kind, String target, boolean cascade, long revokedAt) {}

  /** True when a token with these facts may no longer be used. */
  boolean isRevoked(
      String id,
      Iterable<String> ancestors,
      String secretId,
      String subject,
      String actor,
      String apiKeyId,
      long issuedAtMillis) {
    if (singles.contains(id) || subtrees.contains(id)) {
      return true;
    }
    for (String a : ancestors) {
      if (subtrees.contains(a)) {
        return true;
      }
    }
    return after(secrets, secretId, issuedAtMillis)
        || after(principals, subject, issuedAtMillis)
        || (actor != null && after(principals, actor, issuedAtMillis))
        || (apiKeyId != null && after(apiKeys, apiKeyId, issuedAtMillis));
  }

  private static boolean after(Map<String, Long> m, String key, long issuedAt) {
    Long at = m.get(key);
    return at != null && issuedAt <= at;
  }

  /**
   * Applies a revocation this node has just committed, before its answer returns. The last sequence
   * seen does not move: rows of other nodes below this one may not have been read yet, and {@link
   * #catchUp} reads from the last row it read itself.
   */
  void apply(Revocation r) {
    record(r);
    revoked();
  }

  private void record(Revocation r) {
    switch (r.kind()) {
      case "token" -> (r.cascade() ? subtrees : singles).add(r.target());
      case "secret" -> secrets.merge(r.target(), r.revokedAt(), Math::max);
      case "principal" -> principals.merge(r.target(), r.revokedAt(), Math::max);
      case "api_key" -> apiKeys.merge(r.target(), r.revokedAt(), Math::max);
      default -> throw new IllegalStateException("unknown revocation kind " + r.kind());
    }
  }

  /**
   * Runs {@code listener} each time revocations have been applied, on the thread that applied them
   * (the revoking request, or the one catching up): it must return at once, handing any real work
   * to its own thread. The proxy uses it to cut streams of a revoked token without waiting.
   */
  public void onRevocation(Runnable listener) {
    listeners.add(listener);
  }

  private void revoked() {
    for (Runnable l : listeners) {
      l.run();
    }
  }

  /**
   * Applies every revocation row past the last sequence number read. Rows commit in sequence order
   * (on PostgreSQL each revoking transaction holds a lock from its insert to its commit), so
   * reading past the last row read misses none.
   */
  public synchronized void catchUp(Database db) {
    long from = lastSeq;
    List<Revocation> rows =
        db.read(
            h ->
                h.createQuery(
                        "SELECT seq, kind, target, cascade, revoked_at FROM revocations WHERE seq > :from ORDER BY seq")
                    .bind("from", from)
                    .map(
                        (rs, c) ->
                            new Revocation(
                                rs.getLong(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getInt(4) == 1,
                                rs.getLong(5)))
                    .list());
    if (rows.isEmpty()) {
      return;
    }
    for (Revocation r : rows) {
      record(r);
    }
    lastSeq = rows.get(rows.size() - 1).seq();
    revoked();
  }

  /** The highest revocation sequence number read from the store. */
  public long lastSequence() {
    return lastSeq;
  }
}
