package io.secretsapi.access;

import java.time.Instant;
import java.util.Optional;

/**
 * A control-plane identity: the owner of API keys and of the secrets it stores. A revoked account
 * has no active key and gets no new one.
 */
public record ServiceAccount(
    String id, String name, String description, Instant createdAt, Optional<Instant> revokedAt) {

  /** {@code active} or {@code revoked}. */
  public String status() {
    return revokedAt.isPresent() ? "revoked" : "active";
  }
}
