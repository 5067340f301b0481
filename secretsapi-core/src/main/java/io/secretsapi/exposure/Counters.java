package io.secretsapi.exposure;

import io.secretsapi.audit.AuditEntry;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The append listener: counts each grant, use and refusal the audit log appends against its secret,
 * and each use and refused use against its token. Costs a type check, two map lookups and a few
 * array writes on the appending thread; reads nothing from the store. Bounded: at most {@link
 * #MAX_SECRETS} secrets and {@link #MAX_TOKENS} tokens are followed; past that a new one is not
 * counted until {@link #evict} frees room (the count of those left out is kept). Thread-safe.
 */
final class Counters implements Consumer<AuditEntry> {
  static final int MAX_SECRETS = 20_000;
  static final int MAX_TOKENS = 20_000;

  private final Clock clock;
  private final long windowMs;
  final Map<String, Activity> secrets = new ConcurrentHashMap<>();
  final Map<String, Activity> tokens = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong leftOut =
      new java.util.concurrent.atomic.AtomicLong();

  Counters(Clock clock, long windowMs) {
    this.clock = clock;
    this.windowMs = windowMs;
  }

  @Override
  public void accept(AuditEntry e) {
    if (e.secretId().isEmpty() || !counts(e.type(), e.decision())) {
      return;
    }
    long now = clock.millis();
    boolean refused = "deny".equals(e.decision());
    String caller = e.subject().orElse(e.actor());
    String host = "token.proxy".equals(e.type()) ? hostOf(e.reason()) : null;
    String network = e.source().map(Counters::networkOf).orElse(null);
    String policy = e.policy().map(AuditEntry.PolicyRef::id).orElse(null);
    Activity s = activity(secrets, e.secretId().get(), e.secretId().get(), MAX_SECRETS, now);
    if (s != null) {
      s.record(now, caller, host, network, refused, policy);
    }
    // A token is followed from its first use: its issue is a call of the secret, but scoring every
    // token issued, most never used, would cost an allocation per grant on the issue path.
    if (e.tokenId().isPresent() && !"token.issue".equals(e.type())) {
      Activity t = activity(tokens, e.tokenId().get(), e.secretId().get(), MAX_TOKENS, now);
      if (t != null) {
        t.record(now, caller, host, network, refused, policy);
      }
    }
  }

  private Activity activity(
      Map<String, Activity> m, String id, String secretId, int max, long now) {
    Activity a = m.get(id);
    if (a == null) {
      if (m.size() >= max) {
        leftOut.incrementAndGet();
        return null;
      }
      a = m.computeIfAbsent(id, k -> new Activity(windowMs, now, secretId));
    }
    return a;
  }

  /** Whether a record of {@code type} decided {@code decision} is a call or refusal to count. */
  static boolean counts(String type, String decision) {
    return switch (type) {
          case "token.issue", "token.derive", "token.proxy", "token.resolve", "token.reveal" ->
              true;
          case "token.refuse" -> true;
          default -> false;
        }
        && !"done".equals(decision);
  }

  /** The host of a proxied call's record reason, {@code POST api.openai.com/v1/chat}. */
  static String hostOf(String reason) {
    int sp = reason.indexOf(' ');
    if (sp < 0) {
      return null;
    }
    int slash = reason.indexOf('/', sp + 1);
    String h = slash < 0 ? reason.substring(sp + 1) : reason.substring(sp + 1, slash);
    return h.isEmpty() || h.length() > 255 ? null : h;
  }

  /** The caller's network: an IPv4 address's /24, an IPv6 address's /48 (first three groups). */
  static String networkOf(String address) {
    if (address.indexOf(':') >= 0) {
      String[] g = address.split(":", -1);
      return g.length >= 3 ? g[0] + ":" + g[1] + ":" + g[2] + "::/48" : address;
    }
    int last = address.lastIndexOf('.');
    return last < 0 ? address : address.substring(0, last) + ".0/24";
  }

  /** Drops what was idle for {@code idleMs} (tokens) or ten times that (secrets). */
  void evict(long now, long idleMs) {
    tokens.values().removeIf(a -> a.lastMs() < now - idleMs);
    secrets.values().removeIf(a -> a.lastMs() < now - 10 * idleMs);
  }

  long leftOut() {
    return leftOut.get();
  }
}
