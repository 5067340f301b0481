package io.secretsapi.server.console;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * API keys just created or rotated in the console, held for the one page that shows them: the form
 * post redirects (so that a reload never posts again, and the URL names only the key id), and the
 * page after it takes the key from here, once, for the session that made it. A key not taken within
 * {@link #HOLD} is dropped unseen. Thread-safe; {@link #toString()} prints no key.
 */
final class Reveals {
  static final Duration HOLD = Duration.ofMinutes(2);

  private record Held(String plaintext, Instant until) {
    @Override
    public String toString() {
      return "Held[<redacted>]";
    }
  }

  private final Map<String, Held> held = new ConcurrentHashMap<>();

  /** Holds {@code plaintext} of {@code keyId} for the session whose CSRF token is {@code csrf}. */
  void hold(String csrf, String keyId, String plaintext, Instant now) {
    held.values().removeIf(h -> h.until().isBefore(now));
    held.put(csrf + "|" + keyId, new Held(plaintext, now.plus(HOLD)));
  }

  /** The held key of {@code keyId} for this session, removed: a second call finds nothing. */
  Optional<String> take(String csrf, String keyId, Instant now) {
    Held h = held.remove(csrf + "|" + keyId);
    return h == null || h.until().isBefore(now) ? Optional.empty() : Optional.of(h.plaintext());
  }

  @Override
  public String toString() {
    return "Reveals[" + held.size() + " held]";
  }
}
