package io.secretsapi.server.console;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.secretsapi.access.Caller;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * The console's sessions, in this node's memory. A session id is 32 random bytes (base64url) that
 * only the operator's cookie holds; the map is keyed by its SHA-256, so that the ids themselves are
 * kept nowhere on the server. A session ends when unused for {@code idle}, {@code max} after login,
 * at logout, or as soon as its API key is no longer active: revoked on any node, rotated without
 * grace, or past its own expiry ({@code keyActive}, asked on every use). Times come from the
 * broker's clock. Thread-safe.
 */
final class Sessions {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final Clock clock;
  private final Duration idle;
  private final Duration max;
  private final Cache<String, Session> byHash;
  private final java.util.function.Predicate<String> keyActive;

  /**
   * @param keyActive whether an API key (by id) is still active and unexpired, as authentication
   *     would find it
   */
  Sessions(
      Clock clock, Duration idle, Duration max, java.util.function.Predicate<String> keyActive) {
    this.keyActive = requireNonNull(keyActive, "keyActive");
    this.clock = requireNonNull(clock, "clock");
    this.idle = requireNonNull(idle, "idle");
    this.max = requireNonNull(max, "max");
    // the cache's own expiry only bounds memory; the clock decides (below) when one has ended
    this.byHash = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(max).build();
  }

  /** A new session for {@code caller}; answers its id, for the cookie only. */
  String open(Caller caller) {
    String id = random();
    Instant now = clock.instant();
    byHash.put(hash(id), new Session(caller, random(), now, now));
    return id;
  }

  /** The live session of {@code id}, touched; empty when unknown, ended or expired. */
  Optional<Session> find(String id) {
    if (id == null || id.isEmpty() || id.length() > 64) {
      return Optional.empty();
    }
    String key = hash(id);
    Session s = byHash.getIfPresent(key);
    if (s == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    if (!live(s, now)) {
      byHash.invalidate(key);
      return Optional.empty();
    }
    Session touched = s.seenAt(now);
    byHash.put(key, touched);
    return Optional.of(touched);
  }

  /**
   * True while the session of {@code id} is live. Unlike {@link #find} it does not touch the
   * session: an open event stream is not activity, so the session still ends when idle.
   */
  boolean alive(String id) {
    if (id == null || id.isEmpty() || id.length() > 64) {
      return false;
    }
    Session s = byHash.getIfPresent(hash(id));
    Instant now = clock.instant();
    return s != null && live(s, now);
  }

  private boolean live(Session s, Instant now) {
    return now.isBefore(s.lastSeen().plus(idle))
        && now.isBefore(s.createdAt().plus(max))
        && keyActive.test(s.caller().apiKeyId());
  }

  void close(String id) {
    if (id != null && !id.isEmpty() && id.length() <= 64) {
      byHash.invalidate(hash(id));
    }
  }

  /** Ends every session logged in with the API key {@code keyId}. */
  void endForKey(String keyId) {
    byHash.asMap().values().removeIf(s -> s.caller().apiKeyId().equals(keyId));
  }

  private static String random() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return B64.encodeToString(b);
  }

  private static String hash(String id) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
      return B64.encodeToString(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
