package io.secretsapi.access;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * The stored view of an API key: never the key itself, which is shown once at creation.
 *
 * @param status {@code active} or {@code revoked}; a key past its expiry reads as revoked
 */
public record ApiKey(
    String id,
    String serviceAccountId,
    String name,
    Set<Scope> scopes,
    String status,
    Instant createdAt,
    Optional<Instant> expiresAt,
    Optional<Instant> revokedAt,
    Optional<Instant> lastUsedAt,
    long useCount,
    Optional<String> replaces,
    Optional<String> replacedBy) {

  public boolean isActive() {
    return "active".equals(status);
  }
}
