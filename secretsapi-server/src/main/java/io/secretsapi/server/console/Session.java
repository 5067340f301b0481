package io.secretsapi.server.console;

import io.secretsapi.access.Caller;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;

/**
 * One operator's console session: who logged in (the {@link Caller} the API key authenticated as,
 * never the key), the CSRF token every form of the session carries, and its times.
 *
 * @param csrf 32 random bytes, base64url; compared in constant time
 */
record Session(Caller caller, String csrf, Instant createdAt, Instant lastSeen) {

  /** True when {@code presented} is this session's CSRF token (constant time). */
  boolean csrfMatches(String presented) {
    if (presented == null || presented.isEmpty()) {
      return false;
    }
    return MessageDigest.isEqual(
        csrf.getBytes(StandardCharsets.US_ASCII), presented.getBytes(StandardCharsets.UTF_8));
  }

  Session seenAt(Instant now) {
    return new Session(caller, csrf, createdAt, now);
  }

  @Override
  public String toString() {
    return "Session[" + caller.principal() + ", key " + caller.apiKeyId() + "]";
  }
}
