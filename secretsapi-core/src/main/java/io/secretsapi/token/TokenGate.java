package io.secretsapi.token;

import static java.util.Objects.requireNonNull;

import io.secretsapi.audit.AuditEntry;
import io.secretsapi.audit.AuditLog;
import io.secretsapi.policy.Decision;
import io.secretsapi.policy.PolicyDeniedException;
import io.secretsapi.policy.PolicyEngine;
import io.secretsapi.policy.PolicyRequest;
import io.secretsapi.secret.Secret;
import io.secretsapi.storage.GroupCommit;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * What every use of a token passes through: the policy gate, and the durable record of each refusal
 * (by the gate, by the token's own limits, or of a genuine token that expired or was revoked),
 * whose ref the refusal carries. Thread-safe.
 */
final class TokenGate {
  private final PolicyEngine gate;
  private final TokenVerifier verifier;
  private final GroupCommit writes;
  private final AuditLog audit;
  private final Clock clock;
  private final GrantMeters meters;

  TokenGate(
      PolicyEngine gate,
      TokenVerifier verifier,
      GroupCommit writes,
      AuditLog audit,
      Clock clock,
      GrantMeters meters) {
    this.gate = requireNonNull(gate, "gate");
    this.verifier = requireNonNull(verifier, "verifier");
    this.writes = requireNonNull(writes, "writes");
    this.audit = requireNonNull(audit, "audit");
    this.clock = requireNonNull(clock, "clock");
    this.meters = requireNonNull(meters, "meters");
  }

  /** Counts one grant of {@code operation} whose record is durable. */
  void granted(String operation) {
    meters.granted(operation);
  }

  /** Asks the policy gate; a refusal is recorded in the audit trail and thrown. */
  Decision allow(String actor, PolicyRequest req, String scope, Optional<String> requestId) {
    Decision d = gate.decide(req);
    if (!d.allowed()) {
      throw refuse(
          req.operation(),
          actor,
          req.subject().orElse(req.principal()),
          req.secret(),
          scope,
          req.environment(),
          d,
          requestId);
    }
    return d;
  }

  /**
   * As {@link #allow}, except that a decision that waits for a person's approval is answered, not
   * refused: only issuance asks for approval (design 0030).
   */
  Decision allowOrApproval(
      String actor, PolicyRequest req, String scope, Optional<String> requestId) {
    Decision d = gate.decide(req);
    if (d.approvalRequired()) {
      return d;
    }
    if (!d.allowed()) {
      throw refuse(
          req.operation(),
          actor,
          req.subject().orElse(req.principal()),
          req.secret(),
          scope,
          req.environment(),
          d,
          requestId);
    }
    return d;
  }

  /**
   * Asks the policy gate whether the holder of token {@code t} may use it now for {@code action}
   * ({@code proxy}, {@code resolve}) on {@code secret}, spending {@code amount}; refuses as {@link
   * #allow} does.
   */
  Decision allowUse(
      VerifiedToken t,
      String action,
      Secret secret,
      Optional<BigDecimal> amount,
      Optional<String> requestId) {
    return allow(
        t.subject(),
        new PolicyRequest(
            t.subject(),
            "",
            action,
            secret,
            Optional.empty(),
            amount,
            t.environment(),
            Map.of(),
            Optional.of(t.subject()),
            clock.instant()),
        t.scope(),
        requestId);
  }

  private PolicyDeniedException refuse(
      String operation,
      String actor,
      String subject,
      Secret secret,
      String scope,
      String env,
      Decision d,
      Optional<String> requestId) {
    long offset =
        writes.submit(
            h ->
                audit.append(
                    h,
                    AuditEntry.of("token.refuse", actor, "deny")
                        .subject(subject)
                        .secret(secret.id())
                        .scope(scope)
                        .policy(TokenService.ref(d.ref()))
                        .environment(env)
                        .reason(d.reason())
                        .requestId(requestId.orElse(null))
                        .build()));
    meters.refused(operation, d.ref().rule());
    return new PolicyDeniedException(d.ref(), d.reason(), AuditLog.ref(offset));
  }

  TokenLimitException limit(
      VerifiedToken t, String reason, String type, Optional<String> requestId) {
    return new TokenLimitException(
        reason, refusal(t, reason, type, GrantMeters.TOKEN_LIMIT, requestId));
  }

  /**
   * Verifies a token presented for a use ({@code type}: {@code token.proxy}, {@code token.resolve},
   * {@code token.derive}). A genuine token refused for its time or a revocation is recorded as a
   * refused use, and the exception carries the record's ref: a revoked token still in use is what
   * an operator looks for.
   */
  VerifiedToken verifyForUse(String token, String type, Optional<String> requestId) {
    try {
      return verifier.verify(token);
    } catch (InvalidTokenException e) {
      if (e.genuine().isEmpty()) {
        meters.refused(GrantMeters.operationOf(type), GrantMeters.TOKEN_INVALID);
        throw e;
      }
      String ref =
          refusal(
              e.genuine().get(), e.getMessage(), type, whyRefused(e.genuine().get()), requestId);
      throw new InvalidTokenException(e.getMessage(), e.genuine().get(), ref);
    }
  }

  /**
   * Refuses, recorded, a use whose grant could not be taken ({@link TokenStore#takeUse}): as a
   * revoked token when a revocation reached it (one another node committed a moment ago, say), else
   * as one with no uses left. Returns only when the use was taken.
   */
  void refuseUnless(TokenStore.Use use, VerifiedToken t, String type, Optional<String> requestId) {
    switch (use) {
      case TAKEN -> {}
      case NONE_LEFT -> throw limit(t, "the token has no uses left", type, requestId);
      case REVOKED -> {
        String reason = "the token " + t.id() + " has been revoked";
        throw new InvalidTokenException(
            reason, t, refusal(t, reason, type, GrantMeters.TOKEN_REVOKED, requestId));
      }
    }
  }

  /**
   * Records a refused use of token {@code t}, durably, and counts it under {@code rule}; answers
   * the record's ref.
   */
  private String refusal(
      VerifiedToken t, String reason, String type, String rule, Optional<String> requestId) {
    long offset =
        writes.submit(h -> audit.append(h, use(type, t, "deny", reason, requestId).build()));
    meters.refused(GrantMeters.operationOf(type), rule);
    return AuditLog.ref(offset);
  }

  /**
   * Why the verifier refused genuine token {@code t}: its time, by the verifier's own tests, else a
   * revocation.
   */
  private String whyRefused(VerifiedToken t) {
    java.time.Instant now = clock.instant();
    if (!now.isBefore(t.expiresAt())) {
      return GrantMeters.TOKEN_EXPIRED;
    }
    return now.plus(TokenVerifier.SKEW).isBefore(t.notBefore())
        ? GrantMeters.TOKEN_NOT_YET_VALID
        : GrantMeters.TOKEN_REVOKED;
  }

  /**
   * The record of one allowed use of token {@code t} ({@code token.reveal}, {@code token.proxy}).
   */
  static AuditEntry useAllowed(
      String type, VerifiedToken t, Decision d, String reason, Optional<String> requestId) {
    return use(type, t, "allow", reason, requestId).policy(TokenService.ref(d.ref())).build();
  }

  /** A record of one use of token {@code t}, allowed or refused, by its holder. */
  private static AuditEntry.Builder use(
      String type, VerifiedToken t, String decision, String reason, Optional<String> requestId) {
    return AuditEntry.of(type, t.subject(), decision)
        .subject(t.subject())
        .secret(t.secretId())
        .token(t.id())
        .scope(t.scope())
        .environment(t.environment())
        .reason(reason)
        .requestId(requestId.orElse(null));
  }
}
