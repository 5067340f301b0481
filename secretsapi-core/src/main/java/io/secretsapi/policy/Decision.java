package io.secretsapi.policy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The policy gate's answer: allowed or not, which rule decided and why, and the obligations an
 * allow carries.
 *
 * @param matched every rule that matched, for a dry run
 * @param approval present when an {@code approve} rule decided: the request is not allowed yet, and
 *     waits for one of the rule's approvers ({@code allowed} is false)
 */
public record Decision(
    boolean allowed,
    PolicyRef ref,
    String reason,
    Optional<Duration> maxTtl,
    List<PolicyRef> matched,
    Optional<Approval> approval) {

  /** A decision without approval. */
  public Decision(
      boolean allowed,
      PolicyRef ref,
      String reason,
      Optional<Duration> maxTtl,
      List<PolicyRef> matched) {
    this(allowed, ref, reason, maxTtl, matched, Optional.empty());
  }

  /** True when the request waits for a person's approval. */
  public boolean approvalRequired() {
    return approval.isPresent();
  }

  /** Who may approve, and how long the request waits. */
  public record Approval(List<String> approvers, Duration ttl) {
    public Approval {
      approvers = List.copyOf(approvers);
    }
  }
}
