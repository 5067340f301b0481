package io.secretsapi.token;

import java.util.Optional;

/** A revealed value, through a token with {@code reveal}. {@link #toString()} hides the value. */
public record Resolution(
    String secretId,
    int version,
    String value,
    String tokenId,
    Optional<Long> usesRemaining,
    String auditRef) {
  @Override
  public String toString() {
    return "Resolution[" + secretId + ", value=<redacted>]";
  }
}
