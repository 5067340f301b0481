package io.secretsapi.audit;

import static java.util.Objects.requireNonNull;

import io.secretsapi.storage.Database;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The committed audit records as a live feed, for the event stream and webhooks.
 *
 * <p>One tailer thread reads what was committed after the last record it saw, from the store, so
 * that records appended by any broker node sharing the store appear, in offset order, with no gap.
 * It keeps the newest {@code capacity} events in a ring. A consumer reads from its own cursor: from
 * the store while it catches up ({@link #page}), then from the ring ({@link #next}). The tailer
 * never waits for a consumer: one that falls behind the ring is told it lagged and resumes from the
 * store by offset. The tailer runs only while someone listens; appends wake it, and it looks at the
 * store at least every {@code POLL_MS} for other nodes' records.
 */
public final class AuditFeed implements AutoCloseable {
  static final long POLL_MS = 100;
  private static final Logger LOG = LoggerFactory.getLogger(AuditFeed.class);

  private final Database db;
  private final AuditEvent[] ring;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition grown = lock.newCondition();
  private final Condition nudged = lock.newCondition();
  private long newest = -1; // the newest offset in the ring; -1 before the tailer started
  private long oldest; // the oldest offset in the ring (newest + 1 when it is empty)
  private volatile int listeners;
  private boolean nudge;
  private boolean closed;
  private Thread tailer;

  /** A consumer fell behind the ring: it resumes from the store, after {@code cursor}. */
  public static final class LaggedException extends RuntimeException {
    private final long cursor;

    LaggedException(long cursor) {
      super(
          "the consumer fell behind the live buffer; resume after offset " + cursor,
          null,
          false,
          false);
      this.cursor = cursor;
    }

    public long cursor() {
      return cursor;
    }
  }

  public AuditFeed(Database db, int capacity) {
    this.db = requireNonNull(db, "db");
    if (capacity < 16) {
      throw new IllegalArgumentException("the event buffer must hold at least 16 events");
    }
    this.ring = new AuditEvent[capacity];
  }

  /** Wakes the tailer: something was appended (it may not be committed yet). Never blocks long. */
  public void nudge() {
    if (lock.tryLock()) {
      try {
        nudge = true;
        nudged.signal();
      } finally {
        lock.unlock();
      }
    }
  }

  /** Registers a consumer; the feed runs while at least one is registered. */
  public void listen() {
    lock.lock();
    try {
      listeners++;
      if (tailer == null && !closed) {
        newest = head();
        oldest = newest + 1;
        tailer = new Thread(this::tail, "secretsapi-audit-feed");
        tailer.setDaemon(true);
        tailer.start();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Consumers registered now: the open event streams of this node. */
  public int listeners() {
    return listeners;
  }

  /** Unregisters a consumer. */
  public void unlisten() {
    lock.lock();
    try {
      listeners--;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The oldest offset a consumer may read from the ring: a consumer whose cursor is below this
   * minus one reads from the store first. Call after {@link #listen()}.
   */
  public long oldestLive() {
    lock.lock();
    try {
      return oldest;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The events after {@code cursor} from the ring, waiting up to {@code waitMillis} for one.
   *
   * @throws LaggedException when the ring no longer holds the event after {@code cursor}
   */
  public List<AuditEvent> next(long cursor, int max, long waitMillis) throws InterruptedException {
    lock.lock();
    try {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
      while (newest <= cursor && !closed) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return List.of();
        }
        grown.awaitNanos(left);
      }
      if (cursor + 1 < oldest) {
        throw new LaggedException(cursor);
      }
      List<AuditEvent> out = new ArrayList<>();
      for (long o = cursor + 1; o <= newest && out.size() < max; o++) {
        out.add(ring[(int) (o % ring.length)]);
      }
      return out;
    } finally {
      lock.unlock();
    }
  }

  /** Up to {@code max} committed events after {@code cursor}, from the store. */
  public List<AuditEvent> page(long cursor, int max) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT audit_offset, type, actor, subject, secret_id, decision, record"
                        + " FROM audit_records WHERE audit_offset > :c AND record IS NOT NULL"
                        + " ORDER BY audit_offset LIMIT :max")
                .bind("c", cursor)
                .bind("max", max)
                .map(
                    (rs, ctx) ->
                        new AuditEvent(
                            rs.getLong(1),
                            AuditEvent.familyOf(rs.getString(2), rs.getString(6)),
                            rs.getString(2),
                            rs.getString(3),
                            Optional.ofNullable(rs.getString(4)),
                            Optional.ofNullable(rs.getString(5)),
                            rs.getString(7)))
                .list());
  }

  /** The newest committed offset (0 for an empty trail). */
  public long head() {
    return db.read(
        h ->
            h.createQuery("SELECT last_offset FROM audit_head WHERE id = 1")
                .mapTo(Long.class)
                .one());
  }

  private void tail() {
    while (true) {
      long from;
      lock.lock();
      try {
        if (closed) {
          return;
        }
        if (!nudge) {
          nudged.await(POLL_MS, TimeUnit.MILLISECONDS);
        }
        nudge = false;
        if (listeners <= 0) {
          continue;
        }
        from = newest;
      } catch (InterruptedException e) {
        return;
      } finally {
        lock.unlock();
      }
      try {
        List<AuditEvent> got = page(from, 1000);
        while (!got.isEmpty()) {
          add(got);
          if (got.size() < 1000) {
            break;
          }
          got = page(got.get(got.size() - 1).offset(), 1000);
        }
      } catch (RuntimeException e) {
        LOG.warn("the audit feed could not read the store: {}", e.getMessage());
      }
    }
  }

  private void add(List<AuditEvent> events) {
    lock.lock();
    try {
      for (AuditEvent e : events) {
        if (e.offset() != newest + 1) {
          return; // not yet contiguous (a gap cannot occur: offsets commit in order)
        }
        ring[(int) (e.offset() % ring.length)] = e;
        newest = e.offset();
        oldest = Math.max(oldest, newest - ring.length + 1);
      }
      grown.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      nudged.signalAll();
      grown.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
