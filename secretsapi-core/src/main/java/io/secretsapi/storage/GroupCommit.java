package io.secretsapi.storage;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: many small write transactions share one database transaction and one sync.
 *
 * <p>How it works: callers {@link #submit} a unit of work and wait. One writer thread takes the
 * first waiting unit and every other one queued behind it (up to {@value #MAX_BATCH}), opens one
 * transaction, runs each unit inside its own savepoint, commits once, and only then releases the
 * callers. A unit that throws is rolled back to its savepoint and its caller gets the exception;
 * the others still commit. If the commit fails, every caller of the batch gets {@link
 * StoreUnavailableException}: nothing was made durable, and nothing is answered as if it were.
 *
 * <p>Why: with SQLite in WAL mode and {@code synchronous=FULL} a commit costs one fsync, so one
 * transaction per request caps durable writes near the disk's sync rate, and concurrent writers
 * queue on SQLite's busy handler. One writer removes the lock contention; batching spreads each
 * sync over many requests. Under light load a batch is one unit, so latency is one commit. Units
 * run serially on the writer thread: a unit sees every earlier unit's writes. Thread-safe.
 */
public final class GroupCommit implements AutoCloseable {
  static final int MAX_BATCH = 256;
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

  private final Database db;
  private final BlockingQueue<Unit<?>> queue = new ArrayBlockingQueue<>(8192);
  private final Thread writer;
  private volatile boolean closed;

  /** Callers in {@link #submit} now; the one who arrives alone spins for its commit. */
  private final AtomicInteger waiting = new AtomicInteger();

  /**
   * True while the writer runs a batch (not while it waits for one or lingers): a unit that arrives
   * then waits for that batch's commit and its own, too long to spin for.
   */
  private volatile boolean committing;

  /**
   * How long a caller who waits alone spins before it parks. A commit here takes about 0.2 ms, most
   * of it the disk's sync, and waking a parked thread costs tens of microseconds on a virtual
   * machine whose other core has gone idle: the caller that spins sees its answer that much sooner.
   * Only a lone caller spins, and only when the writer is free for its unit, so under load no core
   * is spent on it.
   */
  static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(500);

  /**
   * Whether a batch of only {@link #submitAsync} units runs before it lingers, inside the open
   * transaction: on SQLite, where this node is the only writer, so that the unit somebody waits on
   * does not wait for them too. Not on PostgreSQL, where the open transaction would hold the audit
   * chain's head row, and with it every other node's appends, for the linger.
   */
  private final boolean lingerInside;

  /**
   * How long a batch of only {@link #submitAsync} units waits for a unit somebody waits on, so that
   * a record nobody waits for rides the next commit instead of taking a sync of its own.
   */
  static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  /**
   * How long a caller waits for its unit to start before it is refused: the store's timeout, and on
   * SQLite the lock timeout too, since a batch waiting for another process's lock on the file holds
   * every unit behind it that long. A unit that has started is waited for to the end, so that no
   * caller is told "nothing changed" of a write that then commits.
   */
  private final long startNanos;

  /**
   * What the writer reports of each batch: a registry that keeps nothing until {@link #bindTo}
   * names the node's. One holder, swapped whole, so the writer reads one volatile per batch.
   */
  private volatile CommitMeters meters = CommitMeters.of(new CompositeMeterRegistry());

  /** The writer's handle and savepoint depth while it runs a batch, for units submitted inside. */
  private Handle running;

  private int depth;

  private static final int QUEUED = 0;
  private static final int STARTED = 1;
  private static final int ABANDONED = 2;

  private record Unit<R>(
      Function<Handle, R> work,
      CompletableFuture<R> done,
      io.secretsapi.audit.Origin origin,
      boolean waited,
      AtomicInteger state) {
    Unit(
        Function<Handle, R> work,
        CompletableFuture<R> done,
        io.secretsapi.audit.Origin origin,
        boolean waited) {
      this(work, done, origin, waited, new AtomicInteger(QUEUED));
    }
  }

  public GroupCommit(Database db) {
    this.db = requireNonNull(db, "db");
    this.lingerInside = db.dialect() == Dialect.SQLITE;
    Database.Options o = db.options();
    this.startNanos = (lingerInside ? o.timeout().plus(o.lockTimeout()) : o.timeout()).toNanos();
    this.writer = new Thread(this::loop, "secretsapi-group-commit");
    writer.setDaemon(true);
    writer.start();
  }

  /**
   * Reports each batch to {@code registry} from now on: its commit's duration ({@code
   * secretsapi_audit_commit_seconds}), its size ({@code secretsapi_audit_commit_batch_size}) and
   * whether it failed ({@code secretsapi_audit_commit_failures_total}). Every request's, grant's
   * and refusal's audit record is made durable by one of these commits.
   */
  public void bindTo(MeterRegistry registry) {
    this.meters = CommitMeters.of(requireNonNull(registry, "registry"));
  }

  /**
   * Runs {@code work} in a shared transaction and returns its result once the transaction has
   * committed. Exceptions thrown by {@code work} reach the caller unchanged. The caller's {@link
   * io.secretsapi.audit.Origin} is bound while {@code work} runs on the writer thread.
   */
  public <R> R submit(Function<Handle, R> work) {
    if (Thread.currentThread() == writer) {
      return nested(work);
    }
    if (closed) {
      throw new StoreUnavailableException("the store is closing", null);
    }
    CompletableFuture<R> done = new CompletableFuture<>();
    Unit<R> unit = new Unit<>(work, done, io.secretsapi.audit.Origin.current(), true);
    boolean alone = waiting.incrementAndGet() == 1;
    long deadline = System.nanoTime() + startNanos;
    try {
      if (!queue.offer(unit, startNanos, TimeUnit.NANOSECONDS)) {
        throw new StoreUnavailableException(
            "the store's write queue is full; nothing was changed", null);
      }
      if (alone && !committing) {
        spinFor(done);
      }
      try {
        return done.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException late) {
        if (unit.state().compareAndSet(QUEUED, ABANDONED)) {
          throw new StoreUnavailableException(
              "the store did not take the write within "
                  + TimeUnit.NANOSECONDS.toMillis(startNanos)
                  + " ms; nothing was changed",
              null);
        }
        return done.get(); // it started: its outcome, whichever it is, is the caller's
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      unit.state().compareAndSet(QUEUED, ABANDONED);
      throw new StoreUnavailableException("interrupted while waiting for the store", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new StoreUnavailableException("the store failed: " + e.getCause(), e.getCause());
    } finally {
      waiting.decrementAndGet();
    }
  }

  /**
   * A unit submitted by a unit, on the writer: it runs at once on the batch's handle, in a
   * savepoint of its own inside its caller's, instead of waiting for a writer that waits for it.
   */
  private <R> R nested(Function<Handle, R> work) {
    Handle h = running;
    if (h == null) {
      throw new IllegalStateException("a write submitted on the writer outside a batch");
    }
    String savepoint = "nested" + (++depth);
    Jdbc.update(h, "SAVEPOINT " + savepoint);
    try {
      R result = work.apply(h);
      Jdbc.update(h, "RELEASE SAVEPOINT " + savepoint);
      return result;
    } catch (RuntimeException e) {
      Jdbc.update(h, "ROLLBACK TO SAVEPOINT " + savepoint);
      Jdbc.update(h, "RELEASE SAVEPOINT " + savepoint);
      throw e;
    } finally {
      depth--;
    }
  }

  /** Callers waiting in {@link #submit} now. */
  int waiting() {
    return waiting.get();
  }

  /** Spins until {@code done} completes or {@link #SPIN_NANOS} have passed. */
  private static void spinFor(Future<?> done) {
    long deadline = System.nanoTime() + SPIN_NANOS;
    while (!done.isDone() && System.nanoTime() - deadline < 0) {
      Thread.onSpinWait();
    }
  }

  /**
   * Queues {@code work} for the next shared transaction and returns at once; the future completes
   * when it has committed. For records that must be kept but need not hold an answer back. When
   * nothing else is queued, it waits up to {@link #LINGER_NANOS} for a unit somebody waits on and
   * commits with it, so that under light load it does not cost a sync of its own.
   */
  public <R> CompletableFuture<R> submitAsync(Function<Handle, R> work) {
    CompletableFuture<R> done = new CompletableFuture<>();
    if (closed
        || !queue.offer(new Unit<>(work, done, io.secretsapi.audit.Origin.current(), false))) {
      done.completeExceptionally(
          new StoreUnavailableException("the store's write queue is full", null));
    }
    return done;
  }

  private void loop() {
    List<Unit<?>> batch = new ArrayList<>(MAX_BATCH);
    while (!closed || !queue.isEmpty()) {
      try {
        Unit<?> first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        if (!lingerInside && mayLinger(batch)) {
          linger(batch);
        }
        committing = true;
        runBatch(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException | Error e) {
        LOG.error("group commit writer failed: {}", e.toString());
        meters.failures().increment();
        for (Unit<?> u : batch) {
          u.done()
              .completeExceptionally(
                  new StoreUnavailableException("the store failed: " + e.getMessage(), e));
        }
      } finally {
        committing = false;
        batch.clear();
      }
    }
  }

  /** True when nobody waits on {@code batch} yet and it may wait for a unit somebody waits on. */
  private boolean mayLinger(List<Unit<?>> batch) {
    return !closed && batch.size() < MAX_BATCH && batch.stream().noneMatch(Unit::waited);
  }

  /** Waits up to {@link #LINGER_NANOS} for more units and adds them to {@code batch}. */
  private void linger(List<Unit<?>> batch) throws InterruptedException {
    boolean wasCommitting = committing;
    committing = false;
    Unit<?> next;
    try {
      next = queue.poll(LINGER_NANOS, TimeUnit.NANOSECONDS);
    } finally {
      committing = wasCommitting;
    }
    if (next != null) {
      batch.add(next);
      queue.drainTo(batch, MAX_BATCH - batch.size());
    }
  }

  private void runBatch(List<Unit<?>> batch) {
    List<Runnable> completions = new ArrayList<>(batch.size());
    CommitMeters m = meters;
    long start = System.nanoTime();
    try {
      db.inWriteTransaction(
          h -> {
            running = h;
            try {
              runUnits(h, batch, completions);
            } finally {
              running = null;
            }
            return null;
          });
    } catch (RuntimeException e) {
      StoreUnavailableException failure =
          e instanceof StoreUnavailableException s
              ? s
              : Database.unavailable("the store did not commit", e);
      for (Unit<?> u : batch) {
        u.done().completeExceptionally(failure);
      }
      m.failures().increment();
      return;
    }
    m.commits().record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    m.batchSize().record(batch.size());
    completions.forEach(Runnable::run);
  }

  private void runUnits(Handle h, List<Unit<?>> batch, List<Runnable> completions) {
    for (Unit<?> u : batch) {
      completions.add(runUnit(h, u));
    }
    if (lingerInside && mayLinger(batch)) {
      // The units nobody waits on have run; the one that arrives next pays only for its
      // own writes and the commit.
      int ran = batch.size();
      try {
        linger(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      for (Unit<?> u : batch.subList(ran, batch.size())) {
        completions.add(runUnit(h, u));
      }
    }
  }

  /**
   * Runs one unit inside a savepoint of the batch's transaction. The savepoint statements are plain
   * SQL on kept statements ({@link Jdbc}): through Jdbi each one was prepared anew and cost as much
   * as the unit's own writes. Every unit releases its savepoint before the next one begins, so one
   * name serves them all.
   */
  private static <R> Runnable runUnit(Handle h, Unit<R> u) {
    if (!u.state().compareAndSet(QUEUED, STARTED)) {
      return () -> {}; // its caller stopped waiting and was told nothing changed
    }
    Jdbc.update(h, "SAVEPOINT unit");
    try {
      R result = io.secretsapi.audit.Origin.with(u.origin(), () -> u.work().apply(h));
      Jdbc.update(h, "RELEASE SAVEPOINT unit");
      return () -> u.done().complete(result);
    } catch (RuntimeException e) {
      // A store that refuses a write (a constraint, a trigger, a full disk) is the store's
      // failure, not the caller's: nothing of this unit was kept, and the caller gets a 503 that
      // names the store's reason.
      RuntimeException reported =
          e instanceof org.jdbi.v3.core.JdbiException
              ? Database.unavailable("the store refused the write; nothing was changed", e)
              : e;
      undo(h, reported);
      return () -> u.done().completeExceptionally(reported);
    }
  }

  /**
   * Rolls a failed unit back to its savepoint. After some failures (a full disk, an I/O error)
   * SQLite has already rolled the whole transaction back and the savepoint is gone: then the batch
   * fails with the unit's own failure, not with the missing savepoint's.
   */
  private static void undo(Handle h, RuntimeException failure) {
    try {
      Jdbc.update(h, "ROLLBACK TO SAVEPOINT unit");
      Jdbc.update(h, "RELEASE SAVEPOINT unit");
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
      throw failure instanceof StoreUnavailableException s
          ? s
          : new StoreUnavailableException(
              "the store failed: " + Database.rootMessage(failure), failure);
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      writer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
