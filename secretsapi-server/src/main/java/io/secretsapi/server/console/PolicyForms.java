package io.secretsapi.server.console;

import io.javalin.http.Context;
import io.secretsapi.Durations;
import io.secretsapi.Inputs;
import io.secretsapi.ValidationException;
import io.secretsapi.policy.Decision;
import io.secretsapi.policy.PolicyRequest;
import io.secretsapi.policy.PolicyVersion;
import io.secretsapi.secret.Secret;
import io.secretsapi.secret.SecretNotFoundException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The policies screen's forms: the dry run, built as {@code POST /policies/test} builds its
 * request, and the write of a version, which {@link io.secretsapi.policy.PolicyService#put} checks
 * as it does for {@code PUT /policies/{id}}.
 */
final class PolicyForms {
  private PolicyForms() {}

  static PolicyPage.Trial trial(Context ctx) {
    return new PolicyPage.Trial(
        field(ctx, "principal"),
        field(ctx, "operation"),
        field(ctx, "secret_id"),
        field(ctx, "ttl"),
        field(ctx, "amount"),
        field(ctx, "environment"));
  }

  /** The gate's decision on {@code t}, for a request that is not made. */
  static PolicyPage.Answer dryRun(Console c, PolicyPage.Trial t) {
    String secretId = Inputs.required("secret_id", blank(t.secretId()), 64);
    Secret secret =
        c.core().vault().find(secretId).orElseThrow(() -> new SecretNotFoundException(secretId));
    PolicyRequest req =
        new PolicyRequest(
            Inputs.slug("principal", blank(t.principal()), 64),
            "",
            Inputs.required("operation", blank(t.operation()), 32),
            secret,
            opt(t.ttl()).map(x -> Durations.parse("ttl", x)),
            opt(t.amount()).map(PolicyForms::decimal),
            opt(t.environment()).orElse(secret.environment()),
            Map.of(),
            Optional.empty(),
            Instant.now());
    Decision d = c.core().policies().test(req);
    return new PolicyPage.Answer(
        d.allowed() ? "allow" : d.approvalRequired() ? "approve" : "deny",
        PolicyScreen.ref(d.ref()),
        d.reason(),
        d.maxTtl().map(Durations::format).orElse(""),
        d.matched().stream().map(PolicyScreen::ref).toList());
  }

  static PolicyVersion write(Console c, Context ctx, Session s) {
    String id = field(ctx, "id");
    String document = ctx.formParam("document");
    if (document == null || document.isBlank()) {
      throw new ValidationException("document", "required", "document is required");
    }
    // a browser sends a textarea's lines ending in CRLF: store the lines as the operator typed them
    return c.core().policies().put(s.caller(), id, document.replace("\r\n", "\n"));
  }

  private static BigDecimal decimal(String s) {
    try {
      return new BigDecimal(s);
    } catch (NumberFormatException e) {
      throw new ValidationException("amount", "decimal", "amount must be a decimal number");
    }
  }

  private static String field(Context ctx, String name) {
    String v = ctx.formParam(name);
    return v == null ? "" : v.trim();
  }

  private static String blank(String v) {
    return v.isEmpty() ? null : v;
  }

  private static Optional<String> opt(String v) {
    return v.isEmpty() ? Optional.empty() : Optional.of(v);
  }
}
