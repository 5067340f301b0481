package io.secretsapi.secret;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The validation posture of a secret: the last probe of its provider with the stored key.
 *
 * @param status {@code healthy}, {@code rotation due} (the probe passed, but the current version is
 *     older than the rotation period) or {@code validation failed}
 * @param preset the provider check that ran ({@code openai}, {@code anthropic}, {@code stripe},
 *     {@code cloudflare}, {@code github}, or {@code http} for a given URL)
 * @param url the secret's validation endpoint that was probed; empty for a preset
 * @param every how often it runs by itself; zero when only on demand
 * @param requestedBy the principal who set the schedule: each scheduled probe asks the policy gate
 *     for it
 */
public record Validation(
    String secretId,
    String status,
    String reason,
    Optional<Integer> httpStatus,
    String preset,
    Optional<String> url,
    Instant checkedAt,
    Duration every,
    Optional<Instant> nextCheckAt,
    Optional<String> requestedBy) {
  public static final String HEALTHY = "healthy";
  public static final String ROTATION_DUE = "rotation due";
  public static final String FAILED = "validation failed";
}
