package io.secretsapi.exposure;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The calls, refusals and acquaintances of one secret or token over a sliding window.
 *
 * <p>How it works: the window is cut into {@value #BUCKETS} buckets of equal length; each slot
 * holds the counts of one bucket, and a slot is reset when time wraps round to it, so a count costs
 * two array writes and the window's total a sum of {@value #BUCKETS} slots. Callers, hosts and
 * networks are kept with the time each was first and last seen, at most {@value #MAX_KNOWN} of each
 * (the one seen least recently leaves first): one met within the window and not before is drift,
 * unless it was met in the first window of this activity, which is its baseline. Scores are sampled
 * at each evaluation, for the rise within the window (the Δ). Memory is bounded: about 20 KB at
 * most. Thread-safe: the append listener and the evaluator take the object's lock for a few array
 * writes.
 */
final class Activity {
  static final int BUCKETS = 12;
  static final int MAX_KNOWN = 256;
  private static final int MAX_SAMPLES = 256;

  private final long windowMs;
  private final long bucketMs;
  private final long createdMs;
  private final long[] calls = new long[BUCKETS];
  private final long[] refusals = new long[BUCKETS];
  private final long[] slotOf = new long[BUCKETS];
  private final Known callers = new Known();
  private final Known hosts = new Known();
  private final Known networks = new Known();
  private final ArrayDeque<double[]> samples = new ArrayDeque<>(4);
  private volatile long lastMs;
  private String policy = "";

  private final String secretId;

  Activity(long windowMs, long now, String secretId) {
    this.secretId = secretId;
    this.windowMs = windowMs;
    this.bucketMs = Math.max(1, windowMs / BUCKETS);
    this.createdMs = now;
    this.lastMs = now;
    java.util.Arrays.fill(slotOf, -1);
  }

  /** One call ({@code refused} false) or refusal, at {@code now}; a null string is unknown. */
  synchronized void record(
      long now, String caller, String host, String network, boolean refused, String policyId) {
    int i = slot(now);
    if (refused) {
      refusals[i]++;
    } else {
      calls[i]++;
    }
    callers.see(caller, now);
    hosts.see(host, now);
    networks.see(network, now);
    if (policyId != null) {
      policy = policyId;
    }
    lastMs = Math.max(lastMs, now);
  }

  private int slot(long now) {
    long bucket = now / bucketMs;
    int i = (int) (bucket % BUCKETS);
    if (slotOf[i] != bucket) {
      slotOf[i] = bucket;
      calls[i] = 0;
      refusals[i] = 0;
    }
    return i;
  }

  /** What happened within the window that ends at {@code now}. */
  synchronized Counts counts(long now) {
    long first = (now - windowMs) / bucketMs + 1; // the oldest bucket still (partly) in the window
    long newest = now / bucketMs;
    long c = 0;
    long r = 0;
    for (int i = 0; i < BUCKETS; i++) {
      if (slotOf[i] >= first && slotOf[i] <= newest) {
        c += calls[i];
        r += refusals[i];
      }
    }
    long since = now - windowMs;
    long baselineEnd = createdMs + windowMs;
    return new Counts(
        c,
        r,
        callers.seenSince(since),
        new Drift(
            callers.newSince(since, baselineEnd),
            hosts.newSince(since, baselineEnd),
            networks.newSince(since, baselineEnd)));
  }

  /** Notes {@code score} at {@code now}; answers the rise since the lowest score in the window. */
  synchronized Rise sample(long now, double score) {
    while (!samples.isEmpty()
        && (samples.peekFirst()[0] < now - windowMs || samples.size() >= MAX_SAMPLES)) {
      samples.pollFirst();
    }
    double low = score;
    long lowAt = now;
    for (double[] s : samples) {
      if (s[1] < low) {
        low = s[1];
        lowAt = (long) s[0];
      }
    }
    samples.addLast(new double[] {now, score});
    return new Rise(score - low, (now - lowAt) / 1000.0);
  }

  /** The secret counted (the token's secret, for a token). */
  String secretId() {
    return secretId;
  }

  long lastMs() {
    return lastMs;
  }

  synchronized String policy() {
    return policy;
  }

  /** Counts within the window. */
  record Counts(long calls, long refusals, int callers, Drift drift) {}

  /** How much the score rose, and over how many seconds. */
  record Rise(double delta, double seconds) {}

  /** Names met, each with when it was first and last seen; bounded, least recently seen out. */
  private static final class Known {
    private Map<String, long[]> seen; // made on first use: most tokens meet one caller, or none

    void see(String name, long now) {
      if (name == null || name.isEmpty()) {
        return;
      }
      if (seen == null) {
        seen =
            new LinkedHashMap<>(4, 0.75f, true) {
              @Override
              protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
                return size() > MAX_KNOWN;
              }
            };
      }
      long[] t = seen.get(name);
      if (t == null) {
        seen.put(name, new long[] {now, now});
      } else {
        t[1] = Math.max(t[1], now);
      }
    }

    int seenSince(long since) {
      int n = 0;
      if (seen != null) {
        for (long[] t : seen.values()) {
          if (t[1] > since) {
            n++;
          }
        }
      }
      return n;
    }

    List<String> newSince(long since, long baselineEnd) {
      List<String> out = new ArrayList<>();
      if (seen != null) {
        for (Map.Entry<String, long[]> e : seen.entrySet()) {
          long first = e.getValue()[0];
          if (first > since && first >= baselineEnd) {
            out.add(e.getKey());
          }
        }
      }
      return out;
    }
  }
}
