package io.secretsapi.topology;

import io.secretsapi.audit.AuditEntry;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The append listener that counts, per second over the last minute, each proxied call granted
 * against its host and each grant (issue or derivation) against its secret's scope. Costs a type
 * check, a map lookup and an array write on the appending thread (the group commit's writer); reads
 * nothing from the store. A node counts the records it appends, so the rate is this node's.
 *
 * <p>Bounded: at most {@link #MAX_KEYS} hosts and as many scopes are followed; past that a new one
 * is not counted until {@link #evict} drops those idle for two minutes (the count of calls left out
 * is kept). Thread-safe.
 */
final class AccessRates implements Consumer<AuditEntry> {
  static final int MAX_KEYS = 50_000;
  private static final int SECONDS = 60;

  private final Clock clock;
  private final Map<String, Minute> hosts = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Minute>> grants = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicInteger scopes =
      new java.util.concurrent.atomic.AtomicInteger();
  private final AtomicLong leftOut = new AtomicLong();

  AccessRates(Clock clock) {
    this.clock = clock;
  }

  @Override
  public void accept(AuditEntry e) {
    if (!"allow".equals(e.decision())) {
      return;
    }
    switch (e.type()) {
      case "token.proxy" -> {
        String host = hostOf(e.reason());
        if (host != null) {
          count(hosts, host);
        }
      }
      case "token.issue", "token.derive" -> {
        if (e.secretId().isPresent() && e.scope().isPresent()) {
          countGrant(e.secretId().get(), e.scope().get());
        }
      }
      default -> {}
    }
  }

  /** By secret, then scope: no key is built per record. */
  private void countGrant(String secretId, String scope) {
    Map<String, Minute> bySecret = grants.get(secretId);
    Minute minute = bySecret == null ? null : bySecret.get(scope);
    if (minute == null) {
      if (scopes.get() >= MAX_KEYS) {
        leftOut.incrementAndGet();
        return;
      }
      minute =
          grants
              .computeIfAbsent(secretId, k -> new ConcurrentHashMap<>())
              .computeIfAbsent(
                  scope,
                  k -> {
                    scopes.incrementAndGet();
                    return new Minute();
                  });
    }
    minute.add(Math.floorDiv(clock.millis(), 1000));
  }

  private void count(Map<String, Minute> m, String key) {
    long second = Math.floorDiv(clock.millis(), 1000);
    Minute minute = m.get(key);
    if (minute == null) {
      if (m.size() >= MAX_KEYS) {
        leftOut.incrementAndGet();
        return;
      }
      minute = m.computeIfAbsent(key, k -> new Minute());
    }
    minute.add(second);
  }

  /** Proxied calls to {@code host} granted in the last minute. */
  long calls(String host) {
    Minute m = hosts.get(host);
    return m == null ? 0 : m.sum(Math.floorDiv(clock.millis(), 1000));
  }

  /** Grants of {@code scope} of {@code secretId} in the last minute. */
  long grants(String secretId, String scope) {
    Map<String, Minute> bySecret = grants.get(secretId);
    Minute m = bySecret == null ? null : bySecret.get(scope);
    return m == null ? 0 : m.sum(Math.floorDiv(clock.millis(), 1000));
  }

  /** Drops what was not counted for two minutes. */
  void evict() {
    long idle = Math.floorDiv(clock.millis(), 1000) - 2L * SECONDS;
    hosts.values().removeIf(m -> m.last() < idle);
    for (Map<String, Minute> bySecret : grants.values()) {
      bySecret.values().removeIf(m -> m.last() < idle && scopes.decrementAndGet() >= 0);
    }
    // a count racing this removal may land in a map just dropped: one call of a scope idle for two
    // minutes, uncounted; the rate is a view, and a lock on the writer's path would cost more
    grants.values().removeIf(Map::isEmpty);
  }

  /** Calls this node could not follow, its bounds being full. */
  long leftOut() {
    return leftOut.get();
  }

  /** The host of a proxied call's record reason, {@code POST api.openai.com/v1/chat}. */
  static String hostOf(String reason) {
    int sp = reason.indexOf(' ');
    if (sp < 0) {
      return null;
    }
    int slash = reason.indexOf('/', sp + 1);
    String h = slash < 0 ? reason.substring(sp + 1) : reason.substring(sp + 1, slash);
    return h.isEmpty() || h.length() > 255 ? null : h.toLowerCase(Locale.ROOT);
  }

  /** Counts in one-second buckets: bucket {@code s % 60} holds second {@code s}, or is stale. */
  static final class Minute {
    private final long[] second = new long[SECONDS];
    private final int[] count = new int[SECONDS];
    private volatile long last = Long.MIN_VALUE;

    synchronized void add(long s) {
      int i = (int) Math.floorMod(s, (long) SECONDS);
      if (second[i] != s) {
        second[i] = s;
        count[i] = 0;
      }
      count[i]++;
      last = Math.max(last, s);
    }

    /** The calls of the 60 seconds up to and including {@code now}. */
    synchronized long sum(long now) {
      long n = 0;
      for (int i = 0; i < SECONDS; i++) {
        if (second[i] > now - SECONDS && second[i] <= now) {
          n += count[i];
        }
      }
      return n;
    }

    long last() {
      return last;
    }
  }
}
