package io.secretsapi.events;

import java.time.Instant;
import java.util.Optional;

/**
 * One delivery attempt, as the delivery log keeps it.
 *
 * @param outcome {@code delivered}, {@code retrying} or {@code failed} (given up)
 */
public record WebhookDelivery(
    long id,
    String webhookId,
    long auditOffset,
    int attempt,
    String outcome,
    Optional<Integer> httpStatus,
    Optional<String> error,
    long durationMs,
    Instant at) {}
