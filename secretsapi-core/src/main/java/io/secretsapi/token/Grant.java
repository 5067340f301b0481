package io.secretsapi.token;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A token as the broker stores it: everything but the signature. {@code ancestors} runs from the
 * root to the parent, so revocation checks walk no tree.
 *
 * @param status {@code active}, {@code revoked} or {@code expired}
 */
public record Grant(
    String id,
    Optional<String> parentId,
    String rootId,
    int depth,
    List<String> ancestors,
    String secretId,
    int secretVersion,
    String scope,
    Set<Operation> operations,
    Upstream upstream,
    String subject,
    Optional<String> actor,
    String serviceAccountId,
    Optional<String> apiKeyId,
    String environment,
    Instant issuedAt,
    Instant expiresAt,
    Optional<Long> maxUses,
    long uses,
    Optional<BigDecimal> maxAmount,
    BigDecimal amountUsed,
    Optional<String> amountField,
    String status,
    Optional<Instant> revokedAt,
    io.secretsapi.policy.PolicyRef policy,
    long auditOffset) {

  /** Uses left, when the grant has a limit. */
  public Optional<Long> usesRemaining() {
    return maxUses.map(m -> Math.max(0, m - uses));
  }

  /** Amount left, when the grant has a limit. */
  public Optional<BigDecimal> amountRemaining() {
    return maxAmount.map(m -> m.subtract(amountUsed).max(BigDecimal.ZERO));
  }

  /** The same grant with the offset of its audit record. */
  public Grant withAuditOffset(long offset) {
    return new Grant(
        id,
        parentId,
        rootId,
        depth,
        ancestors,
        secretId,
        secretVersion,
        scope,
        operations,
        upstream,
        subject,
        actor,
        serviceAccountId,
        apiKeyId,
        environment,
        issuedAt,
        expiresAt,
        maxUses,
        uses,
        maxAmount,
        amountUsed,
        amountField,
        status,
        revokedAt,
        policy,
        offset);
  }
}
