package io.secretsapi.policy;

import io.secretsapi.secret.Secret;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What the gate decides on: who asks, for which operation on which secret, with what.
 *
 * @param attestation verified claims of a workload identity token; empty when none was presented
 * @param subject for {@code delegate}: the principal the token would be issued to
 */
public record PolicyRequest(
    String principal,
    String serviceAccountId,
    String operation,
    Secret secret,
    Optional<Duration> ttl,
    Optional<BigDecimal> amount,
    String environment,
    Map<String, Object> attestation,
    Optional<String> subject,
    Instant time) {}
