package io.secretsapi.server;

import io.secretsapi.ConflictException;
import io.secretsapi.NotFoundException;
import io.secretsapi.SecretsApiException;
import io.secretsapi.ValidationException;
import io.secretsapi.access.AuthenticationException;
import io.secretsapi.access.PermissionDeniedException;
import io.secretsapi.policy.PolicyDeniedException;
import io.secretsapi.secret.SecretSealedException;
import io.secretsapi.storage.StoreUnavailableException;
import io.secretsapi.token.InvalidTokenException;
import io.secretsapi.token.TokenLimitException;
import io.secretsapi.token.TokenService;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A refused or failed tool call as the problem document the HTTP route would answer (same type,
 * status, field, rule, scope and audit ref), carried in an MCP tool result marked as an error.
 */
final class McpProblems {
  static final String INSTANCE = "/mcp";
  private static final Logger LOG = LoggerFactory.getLogger(McpProblems.class);

  private McpProblems() {}

  static Problem of(Exception e, String requestId, Predicate<String> holdsSecret) {
    Problem p = map(e, requestId);
    if (p.detail() != null && holdsSecret.test(p.detail())) {
      // a message that repeats caller text which is a stored value says so, and no more
      p =
          new Problem(
              p.type(),
              p.title(),
              p.status(),
              "the call was refused; its detail is withheld because it repeats a stored value",
              p.instance(),
              p.field(),
              p.rule(),
              p.requiredScope(),
              p.extra());
    }
    return p;
  }

  private static Problem map(Exception e, String requestId) {
    if (e instanceof ValidationException v) {
      return problem("validation", "Invalid request", 400, e, v.field(), v.rule(), null);
    }
    if (e instanceof PolicyDeniedException pd) {
      Map<String, Object> extra = new LinkedHashMap<>();
      extra.put("policy_ref", TokenService.policyMap(pd.ref()));
      pd.auditRef().ifPresent(a -> extra.put("audit_ref", a));
      return with(problem("policy-denied", "Refused by policy", 403, e, null, null, null), extra);
    }
    if (e instanceof io.secretsapi.approval.ApprovalRefusedException ar) {
      return ref(
          problem(
              "approval-refused", "Refused by the approval", 403, e, ar.field(), ar.rule(), null),
          ar.auditRef());
    }
    if (e instanceof TokenLimitException tl) {
      return ref(
          problem("token-limit", "Not allowed by the token", 403, e, null, null, null),
          tl.auditRef());
    }
    if (e instanceof UpstreamRefusedException ur) {
      return Problems.withAuditRef(
          problem(
              "upstream-refused",
              "Upstream refused by the proxy",
              502,
              e,
              "host",
              "public_upstream",
              null),
          ur.auditRef());
    }
    if (e instanceof InvalidTokenException it) {
      return ref(
          problem("invalid-token", "Invalid token", 401, e, "token", "valid_token", null),
          it.auditRef());
    }
    if (e instanceof AuthenticationException) {
      return problem("unauthenticated", "Unauthenticated", 401, e, null, null, null);
    }
    if (e instanceof PermissionDeniedException pd) {
      return problem(
          "permission-denied",
          "Permission denied",
          403,
          e,
          null,
          null,
          pd.scope().map(s -> s.wire()).orElse(null));
    }
    if (e instanceof NotFoundException) {
      return problem("not-found", "Not found", 404, e, null, null, null);
    }
    if (e instanceof ConflictException c) {
      return problem("conflict", "Conflict", 409, e, c.field(), c.rule(), null);
    }
    if (e instanceof SecretSealedException) {
      return problem("sealed", "Sealed", 409, e, null, null, null);
    }
    if (e instanceof StoreUnavailableException) {
      return problem("store-unavailable", "Store unavailable", 503, e, null, null, null);
    }
    if (e instanceof SecretsApiException s) {
      LOG.error("mcp tool call failed [request_id={}] type={}", requestId, s.type());
      return problem(s.type(), "Internal error", 500, e, null, null, null);
    }
    LOG.error(
        "unexpected error in an mcp tool call [request_id={}] {}",
        requestId,
        e.getClass().getName(),
        e);
    return Problems.problem(
        "internal",
        "Internal error",
        500,
        "the broker failed to handle the call; see its log for request id " + requestId,
        INSTANCE,
        null,
        null,
        null);
  }

  private static Problem problem(
      String type, String title, int status, Exception e, String field, String rule, String scope) {
    return Problems.problem(type, title, status, e.getMessage(), INSTANCE, field, rule, scope);
  }

  private static Problem ref(Problem p, Optional<String> auditRef) {
    return auditRef.map(r -> Problems.withAuditRef(p, r)).orElse(p);
  }

  private static Problem with(Problem p, Map<String, Object> extra) {
    return new Problem(
        p.type(),
        p.title(),
        p.status(),
        p.detail(),
        p.instance(),
        p.field(),
        p.rule(),
        p.requiredScope(),
        extra);
  }
}
