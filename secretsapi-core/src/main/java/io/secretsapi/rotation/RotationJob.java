package io.secretsapi.rotation;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One {@code ROT-} rotation of a secret's value, as the queue holds it. Holds no value.
 *
 * @param fromVersion the version that was current when the new value was made
 * @param toVersion the new (pending, then current) version, once made
 * @param graceUntil when the old version is sealed, once promoted
 * @param failure why it failed, for a {@code failed} rotation
 * @param dueAt when the leader next works on it
 */
public record RotationJob(
    String id,
    String secretId,
    String accountId,
    Trigger trigger,
    String reason,
    String requestedBy,
    Optional<String> idempotencyKey,
    String rotator,
    RotationState state,
    Optional<Integer> fromVersion,
    Optional<Integer> toVersion,
    Duration grace,
    Optional<Instant> graceUntil,
    Optional<String> failure,
    int attempts,
    Instant dueAt,
    Instant createdAt,
    Instant updatedAt) {}
