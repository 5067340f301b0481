package io.secretsapi.token;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.secretsapi.storage.Database;
import io.secretsapi.storage.Dialect;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What has been revoked, in memory, for an O(depth) check on every use.
 *
 * <p>How it works: the {@code revocations} table is the truth; every row has a sequence number.
 * This index loads every row at start and applies each new row after its transaction commits, so a
 * revocation holds before its answer returns and after a restart. {@link #catchUp} reads the rows
 * committed since its last read, which is how nodes sharing PostgreSQL learn of each other's
 * revocations: at once when the {@link io.secretsapi.storage.ChangeFeed} brings one, and every
 * second regardless. A token is revoked when its id was revoked; when one of its ancestors was
 * revoked with cascade; or when its secret, principal or issuing API key was revoked at or after
 * the token was issued. Each token carries its ancestors, so the check walks no tree.
 */
public final class RevocationIndex {
  private static final Logger LOG = LoggerFactory.getLogger(RevocationIndex.class);
  private final Set<String> subtrees = ConcurrentHashMap.newKeySet();
  private final Set<String> singles = ConcurrentHashMap.newKeySet();
  private final Map<String, Long> secrets = new ConcurrentHashMap<>();
  private final Map<String, Long> principals = new ConcurrentHashMap<>();
  private final Map<String, Long> apiKeys = new ConcurrentHashMap<>();

  /** A lag longer than a day is a row from before V16 or a clock step, not a revocation's lag. */
  private static final long LAG_CEILING_MS = TimeUnit.DAYS.toMillis(1);

  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final Set<String> unknownKinds = ConcurrentHashMap.newKeySet();
  private long lastSeq; // SQLite: the last sequence read; guarded by this
  private long sinceXact; // PostgreSQL: the oldest transaction running at the last read; ditto
  private boolean loaded; // the first read, at start, is not a lag; ditto
  private final Timer lag;
  private final SecretBlocks blocks = new SecretBlocks();

  /** An index whose revocation lag is reported to a registry that keeps nothing. */
  public RevocationIndex() {
    this(new io.micrometer.core.instrument.composite.CompositeMeterRegistry());
  }

  /**
   * An index that reports to {@code registry} how long each revocation another node committed took
   * to hold here ({@code secretsapi_revocation_lag_seconds}).
   *
   * <p>How it is measured: on PostgreSQL each row carries the database's clock when it was written
   * ({@code db_written_ms}, V16), and the read that applies it here takes the database's clock
   * again; the difference is the lag, both ends on the one clock the nodes share, so no two
   * machines' clocks are compared. Only a row this node applies first through {@link #catchUp}
   * counts (a node's own revocations it applies before answering), and not those of the first read
   * at start. SQLite serves one node: its rows carry no such time, and there is no lag.
   */
  public RevocationIndex(MeterRegistry registry) {
    this.lag =
        Timer.builder("secretsapi.revocation.lag")
            .description(
                "From a revocation's write on one node to its application on this one, through the"
                    + " change feed or the periodic read (PostgreSQL, database clock)")
            .serviceLevelObjectives(
                Duration.ofMillis(5),
                Duration.ofMillis(10),
                Duration.ofMillis(25),
                Duration.ofMillis(50),
                Duration.ofMillis(100),
                Duration.ofMillis(250),
                Duration.ofMillis(500),
                Duration.ofSeconds(1),
                Duration.ofSeconds(2),
                Duration.ofSeconds(5))
            .register(registry);
  }

  /** One revocation row. */
  record Revocation(long seq, String kind, String target, boolean cascade, long revokedAt) {}

  /** A row as {@link #catchUp} reads it: with, on PostgreSQL, its lag in ms (else -1). */
  private record Read(Revocation row, long lagMillis) {}

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

  /** Applies a revocation this node has just committed, before its answer returns. */
  void apply(Revocation r) {
    if (record(r)) {
      revoked();
    }
  }

  /** Records one row; true when it revoked something not revoked before (rows are read again). */
  private boolean record(Revocation r) {
    return switch (r.kind()) {
      case "token" -> (r.cascade() ? subtrees : singles).add(r.target());
      case "secret" -> raise(secrets, r.target(), r.revokedAt());
      case "principal" -> raise(principals, r.target(), r.revokedAt());
      case "api_key" -> raise(apiKeys, r.target(), r.revokedAt());
      default -> unknown(r);
    };
  }

  /**
   * A row of a kind this version does not know, written by a newer node during a rolling upgrade.
   * It cannot be applied, and skipping it quietly would let its tokens through here: the index
   * remembers the kind, so that the node reports itself not ready and leaves the load balancer's
   * pool, and goes on applying the rows it knows (stopping there would leave every later revocation
   * unapplied).
   */
  private boolean unknown(Revocation r) {
    if (unknownKinds.add(r.kind())) {
      LOG.error(
          "revocation {} is of kind {}, which this broker version does not know: this node"
              + " cannot enforce it and reports itself not ready; upgrade it",
          r.seq(),
          r.kind());
    }
    return false;
  }

  /** Secrets an open incident contains (io.secretsapi.incident): checked with every revocation. */
  public SecretBlocks blocks() {
    return blocks;
  }

  /**
   * Replaces the contained secrets with {@code next} (the open incidents as just read); cuts
   * streams as a revocation does when it blocks something new.
   */
  public void block(Map<String, SecretBlocks.Block> next) {
    if (blocks.replace(next)) {
      revoked();
    }
  }

  /** Blocks one secret at once, before the incident's transaction commits (fails closed). */
  public void block(String secretId, SecretBlocks.Block block) {
    if (blocks.add(secretId, block)) {
      revoked();
    }
  }

  /** Kinds of revocation rows read that this version cannot apply; empty when all were applied. */
  public Set<String> unknownKinds() {
    return Set.copyOf(unknownKinds);
  }

  private static boolean raise(Map<String, Long> m, String key, long at) {
    Long[] before = new Long[1];
    m.compute(
        key,
        (k, old) -> {
          before[0] = old;
          return old == null ? at : Math.max(old, at);
        });
    return before[0] == null || before[0] < at;
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
   * Applies every revocation row committed since the last call, from this node or another.
   *
   * <p>SQLite has one writer, whose rows commit in sequence order: the rows past the last sequence
   * read are the new ones. PostgreSQL gives no such order (a transaction can take number 10,
   * another 11 and commit first), and ordering the commits under a lock would make revoking
   * transactions, which also lock token rows, deadlock with each other. So each row carries the id
   * of the transaction that wrote it, and each read first takes the oldest transaction still
   * running ({@code pg_snapshot_xmin}): a row this read cannot see yet belongs to a transaction
   * that was running then or began later, so its id is at least that mark, and the next read asks
   * for the rows from that mark on. Rows committed before it but numbered above it are read again;
   * applying a row twice changes nothing.
   */
  public synchronized void catchUp(Database db) {
    boolean pg = db.dialect() == Dialect.POSTGRES;
    long from = pg ? sinceXact : lastSeq;
    long[] next = {from};
    List<Read> rows =
        db.read(
            h -> {
              if (pg) {
                next[0] =
                    h.createQuery("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
                        .mapTo(Long.class)
                        .one();
              }
              return h.createQuery(
                      "SELECT seq, kind, target, cascade, revoked_at, "
                          + (pg
                              ? "(floor(extract(epoch FROM clock_timestamp()) * 1000))::bigint"
                                  + " - db_written_ms"
                              : "-1")
                          + " FROM revocations WHERE "
                          + (pg ? "xact >= :from" : "seq > :from")
                          + " ORDER BY seq")
                  .bind("from", from)
                  .map(
                      (rs, c) ->
                          new Read(
                              new Revocation(
                                  rs.getLong(1),
                                  rs.getString(2),
                                  rs.getString(3),
                                  rs.getInt(4) == 1,
                                  rs.getLong(5)),
                              rs.getLong(6)))
                  .list();
            });
    boolean changed = false;
    for (Read r : rows) {
      boolean applied = record(r.row());
      // a row written before V16 carries 0: its "lag" would be the age of the store
      if (applied && loaded && r.lagMillis() >= 0 && r.lagMillis() < LAG_CEILING_MS) {
        lag.record(r.lagMillis(), TimeUnit.MILLISECONDS);
      }
      changed |= applied;
    }
    loaded = true;
    if (pg) {
      sinceXact = next[0];
    } else if (!rows.isEmpty()) {
      lastSeq = rows.get(rows.size() - 1).row().seq();
    }
    if (changed) {
      revoked();
    }
  }
}
