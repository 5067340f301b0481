package io.secretsapi.pkg;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One row of an engine's credential vault: a secret a bound package gives the engine, under one
 * scope. Only the masked value and the fingerprint are shown, never the value.
 *
 * @param status {@code Healthy}, {@code Rotation due}, {@code Validation failed}, {@code Not
 *     validated} or the secret's own status when it is not active
 * @param validation the last validation's outcome in words, or "Not validated"
 * @param packages the bound packages that bundle this secret under this scope
 */
public record Credential(
    String secretId,
    String name,
    String provider,
    String scope,
    String status,
    Optional<Instant> nextRotation,
    String validation,
    Optional<Instant> validatedAt,
    String masked,
    String fingerprint,
    List<String> packages) {}
