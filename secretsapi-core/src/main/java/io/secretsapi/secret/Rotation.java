package io.secretsapi.secret;

import java.time.Instant;
import java.util.Optional;

/**
 * The outcome of a rotation: the new current version and the previous one, which stays readable
 * until {@code graceUntil} and is then sealed.
 */
public record Rotation(
    Secret secret, int version, Optional<Integer> previousVersion, Optional<Instant> graceUntil) {}
