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
 * @param scope for {@code issue} and {@code delegate}: the scope of the secret asked for ({@code
 *     request.scope} in a condition, empty elsewhere); what an engine binding's generated rules
 *     name (design 0031)
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
    Instant time,
    Optional<String> scope) {

  /** A request that names no scope. */
  public PolicyRequest(
      String principal,
      String serviceAccountId,
      String operation,
      Secret secret,
      Optional<Duration> ttl,
      Optional<BigDecimal> amount,
      String environment,
      Map<String, Object> attestation,
      Optional<String> subject,
      Instant time) {
    this(
        principal,
        serviceAccountId,
        operation,
        secret,
        ttl,
        amount,
        environment,
        attestation,
        subject,
        time,
        Optional.empty());
  }
}
