package io.secretsapi.server;

import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.secretsapi.ConflictException;
import io.secretsapi.NotFoundException;
import io.secretsapi.SecretsApiException;
import io.secretsapi.ValidationException;
import io.secretsapi.access.AuthenticationException;
import io.secretsapi.access.PermissionDeniedException;
import io.secretsapi.approval.ApprovalRefusedException;
import io.secretsapi.crypto.DecryptionFailedException;
import io.secretsapi.policy.PolicyDeniedException;
import io.secretsapi.secret.SecretSealedException;
import io.secretsapi.storage.StoreUnavailableException;
import io.secretsapi.token.InvalidTokenException;
import io.secretsapi.token.TokenLimitException;
import io.secretsapi.token.TokenService;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * The one place that turns exceptions into {@code application/problem+json} answers. Details are
 * lowercase facts; no secret value reaches them, and unexpected errors say only that something
 * failed, with the request id to find the log line.
 */
final class Problems {
  static final String CONTENT_TYPE = "application/problem+json";
  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

  private static final Set<Class<?>> INTEGERS =
      Set.of(
          Long.class,
          long.class,
          Integer.class,
          int.class,
          Short.class,
          short.class,
          Byte.class,
          byte.class,
          java.math.BigInteger.class);

  private Problems() {}

  static void write(Context ctx, Problem given) {
    Problem p = FreeText.of(ctx).map(g -> g.sanitize(given, ctx)).orElse(given);
    ctx.status(p.status());
    ctx.contentType(CONTENT_TYPE);
    ctx.result(Server.JSON.writeValueAsString(p.body(RequestIds.echoed(ctx))));
  }

  static Problem from(Exception e, Context ctx) {
    String instance = instance(ctx);
    if (e instanceof ValidationException v) {
      return problem(
          "validation",
          "Invalid request",
          400,
          v.getMessage(),
          instance,
          v.field(),
          v.rule(),
          null);
    }
    if (e instanceof PolicyDeniedException pd) {
      Map<String, Object> extra = new LinkedHashMap<>();
      extra.put("policy_ref", TokenService.policyMap(pd.ref()));
      pd.auditRef().ifPresent(a -> extra.put("audit_ref", a));
      return withExtra(
          problem(
              "policy-denied",
              "Refused by policy",
              403,
              e.getMessage(),
              instance,
              null,
              null,
              null),
          extra);
    }
    if (e instanceof ApprovalRefusedException ar) {
      Map<String, Object> extra = new LinkedHashMap<>();
      ar.auditRef().ifPresent(a -> extra.put("audit_ref", a));
      return withExtra(
          problem(
              "approval-refused",
              "Refused by the approval",
              403,
              e.getMessage(),
              instance,
              ar.field(),
              ar.rule(),
              null),
          extra);
    }
    if (e instanceof TokenLimitException tl) {
      Map<String, Object> extra = new LinkedHashMap<>();
      tl.auditRef().ifPresent(a -> extra.put("audit_ref", a));
      return withExtra(
          problem(
              "token-limit",
              "Not allowed by the token",
              403,
              e.getMessage(),
              instance,
              null,
              null,
              null),
          extra);
    }
    if (e instanceof UpstreamRefusedException ur) {
      return withAuditRef(
          problem(
              "upstream-refused",
              "Upstream refused by the proxy",
              502,
              e.getMessage(),
              instance,
              "host",
              "public_upstream",
              null),
          ur.auditRef());
    }
    if (e instanceof InvalidTokenException it) {
      Problem p =
          problem(
              "invalid-token",
              "Invalid token",
              401,
              e.getMessage(),
              instance,
              "token",
              "valid_token",
              null);
      return it.auditRef().map(ref -> withAuditRef(p, ref)).orElse(p);
    }
    if (e instanceof AuthenticationException) {
      return problem(
          "unauthenticated", "Unauthenticated", 401, e.getMessage(), instance, null, null, null);
    }
    if (e instanceof PermissionDeniedException pd) {
      return problem(
          "permission-denied",
          "Permission denied",
          403,
          e.getMessage(),
          instance,
          null,
          null,
          pd.scope().map(s -> s.wire()).orElse(null));
    }
    if (e instanceof NotFoundException) {
      return problem("not-found", "Not found", 404, e.getMessage(), instance, null, null, null);
    }
    if (e instanceof ConflictException c) {
      return problem(
          "conflict", "Conflict", 409, e.getMessage(), instance, c.field(), c.rule(), null);
    }
    if (e instanceof SecretSealedException) {
      return problem("sealed", "Sealed", 409, e.getMessage(), instance, null, null, null);
    }
    if (e instanceof StoreUnavailableException s) {
      if (s.known()) { // the outage is logged once, when the probe finds it
        LOG.debug("store down [request_id={}]", RequestIds.of(ctx));
      } else {
        LOG.error(
            "store unavailable [request_id={}]: {}",
            RequestIds.of(ctx),
            FreeText.loggable(ctx, e.getMessage()));
      }
      return problem(
          "store-unavailable",
          "Store unavailable",
          503,
          "the store did not accept the request; nothing was changed",
          instance,
          null,
          null,
          null);
    }
    if (e instanceof DecryptionFailedException) {
      LOG.error(
          "decryption failed [request_id={}]: {}",
          RequestIds.of(ctx),
          FreeText.loggable(ctx, e.getMessage()));
      return problem(
          "decryption-failed",
          "Decryption failed",
          500,
          e.getMessage(),
          instance,
          null,
          null,
          null);
    }
    if (e instanceof UnrecognizedPropertyException u) {
      String field = path(u);
      return problem(
          "validation",
          "Invalid request",
          400,
          "unknown field " + field + ": the request body may only hold the documented fields",
          instance,
          field,
          "unknown_field",
          null);
    }
    if (e instanceof MismatchedInputException m
        && String.valueOf(m.getOriginalMessage()).startsWith("Trailing token")) {
      return problem(
          "validation",
          "Invalid request",
          400,
          "the body holds more than one JSON value",
          instance,
          "body",
          "json",
          null);
    }
    if (e instanceof MismatchedInputException m) {
      String field = path(m);
      String expected = m.getTargetType() == null ? "another type" : describe(m.getTargetType());
      return problem(
          "validation",
          "Invalid request",
          400,
          (field.isEmpty() ? "the body" : field) + " must be " + expected,
          instance,
          field.isEmpty() ? "body" : field,
          "type",
          null);
    }
    if (e instanceof InputCoercionException ic) {
      String field = path(ic);
      return problem(
          "validation",
          "Invalid request",
          400,
          (field.isEmpty() ? "a number in the body" : field)
              + " is out of range: it does not fit "
              + (ic.getTargetType() == null ? "its type" : describe(ic.getTargetType())),
          instance,
          field.isEmpty() ? "body" : field,
          "range",
          null);
    }
    if (e instanceof StreamReadException sr
        && String.valueOf(sr.getOriginalMessage()).startsWith("Duplicate Object property")) {
      String field = duplicated(sr);
      return problem(
          "validation",
          "Invalid request",
          400,
          "duplicate field "
              + field
              + ": each field may appear once, so that every reader of the body sees the same"
              + " value",
          instance,
          field,
          "duplicate_field",
          null);
    }
    if (e instanceof StreamReadException) {
      return problem(
          "validation",
          "Invalid request",
          400,
          "the body is not well-formed JSON",
          instance,
          "body",
          "json",
          null);
    }
    if (e instanceof JacksonException j) {
      String field = path(j);
      return problem(
          "validation",
          "Invalid request",
          400,
          "the body does not fit the expected shape",
          instance,
          field.isEmpty() ? "body" : field,
          "json",
          null);
    }
    if (e instanceof HttpResponseException h) {
      int status = h.getStatus();
      if (status == 413) {
        return problem(
            "body-too-large",
            "Payload too large",
            413,
            "the request body exceeds the limit",
            instance,
            "body",
            "max_size",
            null);
      }
      return problem(
          "http-" + status, h.getMessage(), status, h.getMessage(), instance, null, null, null);
    }
    if (e instanceof SecretsApiException s) {
      LOG.error(
          "request failed [request_id={}] type={}: {}",
          RequestIds.of(ctx),
          s.type(),
          FreeText.loggable(ctx, s.getMessage()));
      return problem(s.type(), "Internal error", 500, s.getMessage(), instance, null, null, null);
    }
    LOG.error("unexpected error [request_id={}] {}", RequestIds.of(ctx), e.getClass().getName(), e);
    return problem(
        "internal",
        "Internal error",
        500,
        "the broker failed to handle the request; see its log for request id "
            + RequestIds.echoed(ctx),
        instance,
        null,
        null,
        null);
  }

  /**
   * The problem's {@code instance}: the route template that matched ({@code /secrets/{id}}), or
   * {@code /} when none did. Never the request's own path, which is caller text: repeating it, or
   * withholding it only when it holds a secret, would tell a caller without credentials whether
   * some text is a stored value.
   */
  static String instance(Context ctx) {
    String route = RequestLog.route(ctx);
    return route.startsWith("/") ? route : "/";
  }

  static Problem problem(
      String type,
      String title,
      int status,
      String detail,
      String instance,
      String field,
      String rule,
      String scope) {
    return new Problem(
        Problem.TYPE_BASE + type,
        title,
        status,
        detail,
        instance,
        Optional.ofNullable(field),
        Optional.ofNullable(rule),
        Optional.ofNullable(scope),
        Map.of());
  }

  static Problem withAuditRef(Problem p, String ref) {
    Map<String, Object> extra = new java.util.LinkedHashMap<>(p.extra());
    extra.put("audit_ref", ref);
    return withExtra(p, extra);
  }

  private static Problem withExtra(Problem p, Map<String, Object> extra) {
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

  private static String path(JacksonException e) {
    List<JacksonException.Reference> refs = e.getPath();
    return refs.stream()
        .map(
            r -> r.getPropertyName() != null ? "." + r.getPropertyName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining())
        .replaceFirst("^\\.", "");
  }

  /**
   * The field given twice, from the parser's position: it stops on the second occurrence, with the
   * object it is in and that object's place in the body still in its read context.
   */
  private static String duplicated(StreamReadException e) {
    JsonParser p = e.processor();
    if (p == null) {
      return "body";
    }
    Deque<String> parts = new ArrayDeque<>();
    for (TokenStreamContext c = p.streamReadContext();
        c != null && !c.inRoot();
        c = c.getParent()) {
      if (c.inObject() && c.currentName() != null) {
        parts.addFirst("." + c.currentName());
      } else if (c.inArray()) {
        parts.addFirst("[" + c.getCurrentIndex() + "]");
      }
    }
    String field = String.join("", parts).replaceFirst("^\\.", "");
    return field.isEmpty() ? "body" : field;
  }

  private static String describe(Class<?> type) {
    if (type == String.class) {
      return "a string";
    } else if (INTEGERS.contains(type)) {
      return "an integer";
    } else if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
      return "a number";
    } else if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    } else if (List.class.isAssignableFrom(type)) {
      return "an array";
    }
    return "an object";
  }
}
