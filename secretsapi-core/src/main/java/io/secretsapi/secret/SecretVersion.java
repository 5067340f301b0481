package io.secretsapi.secret;

import java.time.Instant;
import java.util.Optional;

/**
 * One value of a secret, without the value.
 *
 * @param state {@code current}, {@code previous} (still valid until {@code graceUntil}) or {@code
 *     sealed} (its ciphertext and data key are erased: nothing can read it again)
 */
public record SecretVersion(
    String secretId,
    int version,
    String state,
    String masked,
    String fingerprint,
    Instant createdAt,
    Optional<Instant> graceUntil,
    Optional<Instant> sealedAt) {}
