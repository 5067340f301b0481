package io.secretsapi.token;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Grants and refusals of the token gate, counted once their audit record is durable: {@code
 * secretsapi_grants_total{operation}} and {@code secretsapi_refusals_total{operation,rule}}.
 *
 * <p>Every label value comes from a bounded set. The operation is one of {@link #OPERATIONS} (else
 * {@code other}). The rule is the policy rule that refused, a name an administrator wrote in a
 * policy (at most 64 characters), or one of the gate's own reasons ({@link #TOKEN_INVALID}...);
 * after {@value #MAX_RULES} distinct policy rule names, further ones count as {@code other}, so
 * that policies rewritten with ever new rule names cannot grow the series without bound. Never an
 * id, a principal or a reason's text. Counters are made once and looked up by two hash lookups on
 * strings the caller already holds: no string is built per decision. Thread-safe.
 */
final class GrantMeters {
  static final List<String> OPERATIONS = List.of("issue", "delegate", "derive", "proxy", "resolve");
  static final int MAX_RULES = 64;
  static final String OTHER = "other";

  /** A token that does not verify: malformed, forged, for another audience. */
  static final String TOKEN_INVALID = "token_invalid";

  static final String TOKEN_EXPIRED = "token_expired";
  static final String TOKEN_NOT_YET_VALID = "token_not_yet_valid";
  static final String TOKEN_REVOKED = "token_revoked";

  /** Outside the token's own scope or limits: host, method, path, uses, amount, operations. */
  static final String TOKEN_LIMIT = "token_limit";

  private static final Set<String> OWN_RULES =
      Set.of(TOKEN_INVALID, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_REVOKED, TOKEN_LIMIT);

  private final MeterRegistry registry;
  private final Map<String, Counter> grants = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Counter>> refusals = new ConcurrentHashMap<>();
  private final Set<String> policyRules = ConcurrentHashMap.newKeySet();

  GrantMeters(MeterRegistry registry) {
    this.registry = registry;
    for (String op : OPERATIONS) {
      grants.put(op, grant(op));
      refusals.put(op, new ConcurrentHashMap<>());
    }
    grants.put(OTHER, grant(OTHER));
    refusals.put(OTHER, new ConcurrentHashMap<>());
  }

  private Counter grant(String op) {
    return Counter.builder("secretsapi.grants")
        .description("Grants by operation: tokens issued and derived, proxied calls and reveals")
        .tag("operation", op)
        .register(registry);
  }

  /** One grant of {@code operation}, recorded durably. */
  void granted(String operation) {
    Counter c = grants.get(operation);
    (c == null ? grants.get(OTHER) : c).increment();
  }

  /** One refusal of {@code operation} by {@code rule}, recorded durably. */
  void refused(String operation, String rule) {
    Map<String, Counter> known = refusals.get(operation);
    String op = known == null ? OTHER : operation;
    Map<String, Counter> byRule = known == null ? refusals.get(OTHER) : known;
    Counter c = rule == null ? null : byRule.get(rule);
    if (c == null) {
      c = byRule.computeIfAbsent(admit(rule), r -> refusal(op, r));
    }
    c.increment();
  }

  private Counter refusal(String op, String rule) {
    return Counter.builder("secretsapi.refusals")
        .description(
            "Refusals by operation and the rule that refused (a policy rule, or the token's own"
                + " validity or limits)")
        .tag("operation", op)
        .tag("rule", rule)
        .register(registry);
  }

  /** {@code rule}, or {@code other} once {@value #MAX_RULES} policy rule names are counted. */
  private String admit(String rule) {
    if (rule == null || rule.isEmpty()) {
      return OTHER;
    }
    if (OWN_RULES.contains(rule) || policyRules.contains(rule)) {
      return rule;
    }
    if (policyRules.size() < MAX_RULES && policyRules.add(rule)) {
      return rule;
    }
    return policyRules.contains(rule) ? rule : OTHER;
  }

  /** The operation a use's record type names ({@code token.proxy} is {@code proxy}). */
  static String operationOf(String type) {
    return switch (type) {
      case "token.proxy" -> "proxy";
      case "token.resolve", "token.reveal" -> "resolve";
      case "token.derive" -> "derive";
      case "token.issue" -> "issue";
      default -> OTHER;
    };
  }
}
