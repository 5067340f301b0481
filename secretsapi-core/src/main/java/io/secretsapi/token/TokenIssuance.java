package io.secretsapi.token;

import static java.util.Objects.requireNonNull;

import io.secretsapi.Durations;
import io.secretsapi.Ids;
import io.secretsapi.Inputs;
import io.secretsapi.ValidationException;
import io.secretsapi.access.Caller;
import io.secretsapi.access.Scope;
import io.secretsapi.approval.Approval;
import io.secretsapi.approval.ApprovalPendingException;
import io.secretsapi.approval.Approvals;
import io.secretsapi.audit.AuditEntry;
import io.secretsapi.policy.Decision;
import io.secretsapi.policy.PolicyRequest;
import io.secretsapi.secret.Secret;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Issuance: a caller with {@code tokens:issue} asks for one scope of one secret. The request must
 * keep to the scope (its environment, its {@code max_ttl}); a token for someone else ({@code
 * requested_by}) needs the policy gate's {@code delegate} as well as its {@code issue}. The token
 * carries the scope's operations, upstream and limits. Thread-safe.
 */
final class TokenIssuance {
  private final TokenService tokens;
  private final TokenGate uses;
  private final ScopeService scopes;
  private final Approvals approvals;
  private final Clock clock;

  TokenIssuance(
      TokenService tokens, TokenGate uses, ScopeService scopes, Approvals approvals, Clock clock) {
    this.tokens = requireNonNull(tokens, "tokens");
    this.approvals = requireNonNull(approvals, "approvals");
    this.uses = requireNonNull(uses, "uses");
    this.scopes = requireNonNull(scopes, "scopes");
    this.clock = requireNonNull(clock, "clock");
  }

  /** Issues a token for one scope of one secret, if the policy gate allows. */
  IssuedToken issue(Caller caller, IssueRequest req, Optional<String> requestId) {
    requireNonNull(caller, "caller");
    caller.require(Scope.TOKENS_ISSUE);
    String secretId = Inputs.required("secret_id", req.secretId(), 64);
    String scopeName = Inputs.required("scope", req.scope(), 64);
    Duration ttl = TokenService.ttl(req.ttl());
    String environment = Inputs.slug("environment", req.environment(), 64);
    String subject =
        req.requestedBy() == null
            ? caller.principal()
            : Inputs.slug("requested_by", req.requestedBy(), 64);
    Secret secret = tokens.activeSecret(secretId);
    tokens.refuseIfContained(secretId);
    SecretScope scope =
        scopes
            .find(secretId, scopeName)
            .orElseThrow(
                () ->
                    new ValidationException(
                        "scope",
                        "unknown",
                        "secret " + secretId + " has no scope named " + scopeName));
    if (!environment.equals(secret.environment())) {
      throw new ValidationException(
          "environment",
          "secret_environment",
          "environment must be "
              + secret.environment()
              + ", the environment of secret "
              + secretId);
    }
    if (ttl.compareTo(scope.maxTtl()) > 0) {
      throw new ValidationException(
          "ttl",
          "max_ttl",
          "ttl must be at most "
              + Durations.format(scope.maxTtl())
              + ", the max_ttl of scope "
              + scopeName);
    }
    Map<String, Object> attested = tokens.attestation(req.attestation());
    Optional<String> actor = Optional.empty();
    if (!subject.equals(caller.principal())) {
      uses.allow(
          caller.principal(),
          new PolicyRequest(
              caller.principal(),
              caller.serviceAccountId(),
              "delegate",
              secret,
              Optional.of(ttl),
              Optional.empty(),
              environment,
              attested,
              Optional.of(subject),
              clock.instant(),
              Optional.of(scopeName)),
          scopeName,
          requestId);
      actor = Optional.of(caller.principal());
    }
    String saId = actor.isEmpty() ? caller.serviceAccountId() : "";
    Decision d =
        uses.allowOrApproval(
            caller.principal(),
            new PolicyRequest(
                subject,
                saId,
                "issue",
                secret,
                Optional.of(ttl),
                Optional.empty(),
                environment,
                attested,
                Optional.of(subject),
                clock.instant(),
                Optional.of(scopeName)),
            scopeName,
            requestId);
    Optional<Approval> approved = Optional.empty();
    if (!d.approvalRequired() && req.approvalId() != null) {
      // the approval was given under a rule that no longer holds this request (design 0030)
      throw approvals.notHeld(caller, req.approvalId(), d, requestId);
    }
    if (d.approvalRequired()) {
      Approvals.Ask ask =
          new Approvals.Ask(
              secretId,
              scopeName,
              ttl,
              Operation.wires(scope.operations()),
              environment,
              subject,
              scope.digest());
      if (req.approvalId() == null) {
        throw new ApprovalPendingException(approvals.request(caller, ask, d, requestId));
      }
      Approval a = approvals.approvedFor(caller, req.approvalId(), ask, d, requestId);
      approved = Optional.of(a);
      d =
          new Decision(
              true,
              d.ref(),
              "approved in approval "
                  + a.id()
                  + " by "
                  + a.decidedBy().orElse("")
                  + " under rule "
                  + d.ref().rule()
                  + " of policy "
                  + d.ref().id()
                  + " v"
                  + d.ref().version(),
              d.maxTtl(),
              d.matched());
    }
    Optional<Approval> spent = approved;
    Instant now = clock.instant();
    Instant exp = Instant.ofEpochSecond(now.getEpochSecond() + ttl.toSeconds());
    String id = Ids.random("tok_", 16);
    Grant draft =
        new Grant(
            id,
            Optional.empty(),
            id,
            0,
            List.of(),
            secretId,
            secret.currentVersion(),
            scopeName,
            scope.operations(),
            scope.upstream(),
            subject,
            actor,
            caller.serviceAccountId(),
            Optional.of(caller.apiKeyId()),
            environment,
            now,
            exp,
            scope.maxUses(),
            0,
            scope.maxAmount(),
            BigDecimal.ZERO,
            scope.amountField(),
            "active",
            Optional.empty(),
            d.ref(),
            0);
    return tokens.mint(
        draft,
        AuditEntry.of("token.issue", caller.principal(), "allow")
            .subject(subject)
            .secret(secretId)
            .token(id)
            .scope(scopeName)
            .policy(TokenService.ref(d.ref()))
            .environment(environment)
            .reason(d.reason())
            .requestId(requestId.orElse(null))
            .build(),
        d,
        h -> spent.ifPresent(a -> approvals.spend(h, a, id, requestId)));
  }
}
