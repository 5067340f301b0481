package io.secretsapi.policy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The policy gate's answer: allowed or not, which rule decided and why, and the obligations an
 * allow carries.
 *
 * @param matched every rule that matched, for a dry run
 */
public record Decision(
    boolean allowed,
    PolicyRef ref,
    String reason,
    Optional<Duration> maxTtl,
    List<PolicyRef> matched) {}
