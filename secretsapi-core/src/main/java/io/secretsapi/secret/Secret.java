package io.secretsapi.secret;

import io.secretsapi.proxy.Injection;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The masked view of a secret: its metadata and the masked form of its current value, never the
 * value itself.
 *
 * @param masked a short prefix and suffix of the current value, such as {@code cf_l...lpha}
 * @param fingerprint a keyed hash of the current value: equal values have equal fingerprints
 * @param status {@code active}, or {@code sealed} once deleted
 * @param injection where the proxy puts the value: the secret's own template, or its provider's
 *     preset
 * @param validationUrl where validation probes the provider with the value, as set by the owner
 *     with {@code secrets:write}; empty: the provider's preset
 */
public record Secret(
    String id,
    String accountId,
    String name,
    String provider,
    String resourceClass,
    String environment,
    String owner,
    List<String> tags,
    String kind,
    String status,
    int currentVersion,
    String masked,
    String fingerprint,
    Injection injection,
    Optional<String> validationUrl,
    Instant createdAt,
    Instant updatedAt,
    Optional<Instant> lastAccessedAt) {}
