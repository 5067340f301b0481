package io.secretsapi.token;

import java.time.Instant;
import java.util.Optional;

/**
 * Filters of the token inventory.
 *
 * @param status {@code active}, {@code expired} or {@code revoked}
 */
public record TokenFilter(
    Optional<String> secretId,
    Optional<String> principal,
    Optional<String> status,
    Optional<Instant> expiringBefore,
    int limit,
    int offset) {}
