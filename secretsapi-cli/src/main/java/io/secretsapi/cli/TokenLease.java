package io.secretsapi.cli;

import io.secretsapi.client.ApiException;
import io.secretsapi.client.SecretsApiClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The tokens of one {@code secretsapi run}: the current one, which forwarded calls borrow, renewed
 * at half its remaining life by issuing a new token for the same intent; every token issued is
 * revoked by {@link #revokeAll()}.
 *
 * <p>Renewal is a new issuance, so it passes the policy gate each time: a policy withdrawn, a key
 * revoked or a secret sealed stops it (a refusal ends renewal for good; a broker that cannot be
 * reached is retried until the run ends). Before each renewal the current token is introspected;
 * found inactive before its expiry, it was revoked from outside, and nothing is renewed again.
 *
 * <p>Concurrency: calls borrow and release from any thread; renewal runs on one timer thread. A
 * superseded token is revoked when its last borrowed call ends (a stream begun on it is not cut by
 * the renewal). All state is guarded by {@code this}.
 */
final class TokenLease {
  /** A token borrowed for one forwarded call. */
  interface Borrowed extends AutoCloseable {
    String token();

    @Override
    void close();
  }

  private static final class Lent {
    final Intent.Issued issued;
    int inFlight;
    boolean superseded;
    boolean revoked;

    Lent(Intent.Issued issued) {
      this.issued = issued;
    }
  }

  private final SecretsApiClient client;
  private final Intent intent;
  private final PrintWriter err;
  private final ScheduledThreadPoolExecutor timer;
  private final List<Lent> all = new ArrayList<>();
  private Lent current;
  private boolean renewing = true;
  private boolean closed;

  TokenLease(SecretsApiClient client, Intent intent, Intent.Issued first, PrintWriter err) {
    this.client = client;
    this.intent = intent;
    this.err = err;
    this.current = new Lent(first);
    all.add(current);
    timer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "secretsapi-run-renewal");
              t.setDaemon(true);
              return t;
            });
    timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    schedule(first.expiresAt());
  }

  /** The current token, held until the returned handle is closed. */
  synchronized Borrowed borrow() {
    Lent l = current;
    l.inFlight++;
    return new Borrowed() {
      private boolean released;

      @Override
      public String token() {
        return l.issued.token();
      }

      @Override
      public void close() {
        if (!released) {
          released = true;
          release(l);
        }
      }
    };
  }

  /** Ids of every token issued so far, the first one first. */
  synchronized List<String> tokenIds() {
    return all.stream().map(l -> l.issued.tokenId()).toList();
  }

  private void release(Lent l) {
    boolean retire;
    synchronized (this) {
      l.inFlight--;
      retire = retire(l);
    }
    if (retire) {
      try {
        timer.execute(() -> revoke(l, "secretsapi run: renewed"));
      } catch (java.util.concurrent.RejectedExecutionException closing) {
        revoke(l, "secretsapi run: renewed");
      }
    }
  }

  /** Marks {@code l} revoked when it is superseded and idle; answers whether to revoke it now. */
  private boolean retire(Lent l) {
    if (l.superseded && l.inFlight == 0 && !l.revoked && !closed) {
      l.revoked = true;
      return true;
    }
    return false;
  }

  private void schedule(Instant expiresAt) {
    long left = Duration.between(Instant.now(), expiresAt).toMillis();
    timer.schedule(this::renew, Math.max(100, left / 2), TimeUnit.MILLISECONDS);
  }

  private void renew() {
    Lent old;
    synchronized (this) {
      if (closed || !renewing) {
        return;
      }
      old = current;
    }
    try {
      if (revokedFromOutside(old.issued)) {
        stop("token " + old.issued.tokenId() + " was revoked; it is not renewed");
        return;
      }
      Intent.Issued next = intent.issue(client);
      boolean retire;
      synchronized (this) {
        Lent n = new Lent(next);
        all.add(n);
        current = n;
        old.superseded = true;
        retire = retire(old);
      }
      if (retire) {
        revoke(old, "secretsapi run: renewed");
      }
      schedule(next.expiresAt());
    } catch (ApiException e) {
      if (e.status() >= 400 && e.status() < 500 && e.status() != 429) {
        stop("renewal refused: " + e.getMessage());
      } else {
        retry(old.issued);
      }
    } catch (RuntimeException e) {
      retry(old.issued);
    }
  }

  /** An inactive token before its expiry was revoked (or its secret or principal was). */
  private boolean revokedFromOutside(Intent.Issued t) {
    var claims = client.call("POST", "/tokens/introspect", Map.of("token", t.token()));
    return !claims.path("active").asBoolean(false) && Instant.now().isBefore(t.expiresAt());
  }

  private void retry(Intent.Issued t) {
    long left = Duration.between(Instant.now(), t.expiresAt()).toMillis();
    timer.schedule(this::renew, Math.max(200, Math.min(5_000, left / 4)), TimeUnit.MILLISECONDS);
  }

  private void stop(String why) {
    synchronized (this) {
      renewing = false;
    }
    err.println("secretsapi run: " + why + "; the command keeps running without renewal");
    err.flush();
  }

  private boolean revoke(Lent l, String reason) {
    try {
      Intent.revoke(client, l.issued.tokenId(), reason);
      return true;
    } catch (RuntimeException e) {
      err.println(
          "secretsapi run: could not revoke token "
              + l.issued.tokenId()
              + " (it expires at "
              + l.issued.expiresAt()
              + "): "
              + Intent.describe(e));
      err.flush();
      return false;
    }
  }

  /**
   * Stops renewing (letting a renewal under way finish, so that its token is known) and revokes
   * every token not yet revoked. Answers whether each revocation succeeded.
   */
  boolean revokeAll() {
    synchronized (this) {
      closed = true;
    }
    timer.shutdown();
    try {
      timer.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Lent> left = new ArrayList<>();
    synchronized (this) {
      for (Lent l : all) {
        if (!l.revoked) {
          l.revoked = true;
          left.add(l);
        }
      }
    }
    boolean ok = true;
    for (Lent l : left) {
      ok &= revoke(l, "secretsapi run: command exited");
    }
    return ok;
  }
}
