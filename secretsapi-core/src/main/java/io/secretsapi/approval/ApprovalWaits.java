package io.secretsapi.approval;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The long polls of {@link Approvals#await}: nothing holds a thread and nothing reads the store
 * while they wait. A decision or an expiry announces the approval's id on the change feed (every
 * node's, design 0011), and only then is the row read again ({@link #changed}); the approval's own
 * expiry and the end of the wait are timers on one shared scheduler. Thread-safe.
 */
final class ApprovalWaits {
  private static final ScheduledExecutorService WAKES =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "secretsapi-approval-waits");
            t.setDaemon(true);
            return t;
          });

  private final Function<String, Approval> find;
  private final Map<String, Set<Waiter>> waiting = new ConcurrentHashMap<>();

  /** {@code find} reads an approval as it stands now, by id. */
  ApprovalWaits(Function<String, Approval> find) {
    this.find = find;
  }

  /**
   * Completes with {@code first}'s approval once it is no longer pending, when {@code untilExpiry}
   * has passed (it reads as expired from then on), or when {@code wait} is over.
   */
  CompletableFuture<Approval> await(Approval first, Duration untilExpiry, Duration wait) {
    CompletableFuture<Approval> done = new CompletableFuture<>();
    Waiter w = new Waiter(first.id(), done);
    waiting.computeIfAbsent(first.id(), k -> ConcurrentHashMap.newKeySet()).add(w);
    done.whenComplete((a, e) -> forget(w));
    long untilEnd = Math.min(wait.toMillis(), Math.max(0, untilExpiry.toMillis()) + 1);
    ScheduledFuture<?> end = WAKES.schedule(() -> w.answer(), untilEnd, TimeUnit.MILLISECONDS);
    done.whenComplete((a, e) -> end.cancel(false));
    // a decision committed between the first read and the registration announced nothing to us
    WAKES.execute(w::check);
    return done;
  }

  /** Approval {@code id} changed (any approval, when empty): its waiters read it again. */
  void changed(Optional<String> id) {
    List<Waiter> wake = new ArrayList<>();
    if (id.isPresent()) {
      wake.addAll(waiting.getOrDefault(id.get(), Set.of()));
    } else {
      waiting.values().forEach(wake::addAll);
    }
    for (Waiter w : wake) {
      WAKES.execute(w::check);
    }
  }

  /** The number of long polls waiting now. */
  int size() {
    return waiting.values().stream().mapToInt(Set::size).sum();
  }

  private void forget(Waiter w) {
    waiting.computeIfPresent(
        w.id,
        (k, set) -> {
          set.remove(w);
          return set.isEmpty() ? null : set;
        });
  }

  /** One long poll: the approval it waits on, and the answer to complete. */
  private final class Waiter {
    final String id;
    final CompletableFuture<Approval> done;

    Waiter(String id, CompletableFuture<Approval> done) {
      this.id = id;
      this.done = done;
    }

    /** Answers if the approval is no longer pending. */
    void check() {
      if (done.isDone()) {
        return;
      }
      try {
        Approval now = find.apply(id);
        if (!now.state().equals("pending")) {
          done.complete(now);
        }
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
      }
    }

    /** Answers with the approval as it stands: the wait or the approval's time is over. */
    void answer() {
      if (done.isDone()) {
        return;
      }
      try {
        done.complete(find.apply(id));
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
      }
    }
  }
}
