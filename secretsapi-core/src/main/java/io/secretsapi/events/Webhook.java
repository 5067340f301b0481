package io.secretsapi.events;

import java.time.Instant;
import java.util.List;

/**
 * A subscription: audit events of the listed families or types, delivered to {@code url}.
 *
 * @param cursor the last audit offset handled (delivered, given up on, or not wanted)
 */
public record Webhook(
    String id,
    String accountId,
    String principal,
    boolean admin,
    String url,
    List<String> events,
    String status,
    long cursor,
    Instant createdAt) {}
