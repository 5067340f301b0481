package io.secretsapi.approval;

import io.secretsapi.policy.PolicyRef;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An issue request that waits for a person ({@code apr_}): what the token would be, who may decide,
 * and where the decision stands.
 *
 * @param accountId the requester's service account
 * @param requester the principal who asked
 * @param subject the principal the token would be for (the requester unless delegated)
 * @param state {@code pending}, {@code approved}, {@code denied}, {@code expired} or {@code
 *     issued}; a pending or approved request past {@code expiresAt} reads as {@code expired}
 * @param reason the decider's reason
 * @param scopeDigest the digest of the scope's definition the approval was asked for under ({@code
 *     SecretScope.digest}); empty on approvals from before the binding, which issue no token
 * @param decidedByAccount the service account of the approver who decided
 */
public record Approval(
    String id,
    String accountId,
    String requester,
    String subject,
    String secretId,
    String scope,
    long ttlSeconds,
    List<String> operations,
    String environment,
    PolicyRef policy,
    List<String> approvers,
    String state,
    Optional<String> decidedBy,
    Optional<String> reason,
    Optional<String> tokenId,
    Instant createdAt,
    Instant expiresAt,
    Optional<Instant> decidedAt,
    Optional<String> scopeDigest,
    Optional<String> decidedByAccount) {
  public Approval {
    operations = List.copyOf(operations);
    approvers = List.copyOf(approvers);
  }

  /** The states an approval may be in. */
  public static final List<String> STATES =
      List.of("pending", "approved", "denied", "expired", "issued");

  /** This approval as it stands at {@code now}: expired once its time is up undecided. */
  Approval at(Instant now) {
    if ((state.equals("pending") || state.equals("approved")) && !now.isBefore(expiresAt)) {
      return withState("expired");
    }
    return this;
  }

  Approval withState(String s) {
    return new Approval(
        id,
        accountId,
        requester,
        subject,
        secretId,
        scope,
        ttlSeconds,
        operations,
        environment,
        policy,
        approvers,
        s,
        decidedBy,
        reason,
        tokenId,
        createdAt,
        expiresAt,
        decidedAt,
        scopeDigest,
        decidedByAccount);
  }
}
