package io.secretsapi.policy;

import dev.cel.runtime.CelRuntime;
import io.secretsapi.secret.Secret;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The policy gate's evaluator over the current version of every policy set.
 *
 * <p>Rules: every rule whose selectors match and whose condition holds is collected. Deny wins: one
 * matching deny refuses. With no matching allow, the answer is a refusal by default. A condition
 * that fails to evaluate refuses at once (fail closed), naming the rule. An allow's obligations are
 * then applied: the lowest {@code max_ttl} of the matching allows, and a required attestation. An
 * {@code approve} rule that matched (and no deny) makes the answer "approval required" even when an
 * allow matched too: the request waits for one of the first such rule's approvers (design 0030).
 * Its obligations apply as an allow's do. Thread-safe: decisions read an immutable snapshot that
 * {@link #load} replaces.
 */
public final class PolicyEngine {
  private volatile List<CompiledPolicy> policies = List.of();

  /** Replaces the policies the gate evaluates, from now on. */
  public void load(List<VersionedPolicy> current) {
    List<CompiledPolicy> compiled = new ArrayList<>();
    for (VersionedPolicy v : current) {
      compiled.add(compile(v));
    }
    compiled.sort(Comparator.comparing(p -> p.id));
    this.policies = List.copyOf(compiled);
  }

  /** Decides one request. */
  public Decision decide(PolicyRequest req) {
    Map<String, Object> vars = null;
    List<PolicyRef> matched = new ArrayList<>();
    PolicyRef firstDeny = null;
    PolicyRef firstAllow = null;
    PolicyRef firstApprove = null;
    Rule approveRule = null;
    Optional<Duration> maxTtl = Optional.empty();
    PolicyRef ttlRule = null;
    PolicyRef attestRule = null;
    for (CompiledPolicy p : policies) {
      for (CompiledRule r : p.rules) {
        if (!r.matches(req)) {
          continue;
        }
        PolicyRef ref = new PolicyRef(p.id, p.version, r.rule.id());
        if (r.condition != null) {
          if (vars == null) {
            vars = variables(req);
          }
          try {
            if (!CelConditions.eval(r.condition, vars)) {
              continue;
            }
          } catch (Exception e) {
            return new Decision(
                false,
                ref,
                "the condition of rule "
                    + r.rule.id()
                    + " failed to evaluate,"
                    + " so the request is refused: "
                    + firstLine(e.getMessage()),
                Optional.empty(),
                List.of(ref));
          }
        }
        matched.add(ref);
        if (r.rule.effect().equals("deny")) {
          firstDeny = firstDeny == null ? ref : firstDeny;
        } else {
          if (r.rule.effect().equals("approve")) {
            if (firstApprove == null) {
              firstApprove = ref;
              approveRule = r.rule;
            }
          } else {
            firstAllow = firstAllow == null ? ref : firstAllow;
          }
          if (r.rule.maxTtl().isPresent()
              && (maxTtl.isEmpty() || r.rule.maxTtl().get().compareTo(maxTtl.get()) < 0)) {
            maxTtl = r.rule.maxTtl();
            ttlRule = ref;
          }
          if (r.rule.requireAttestation() && attestRule == null) {
            attestRule = ref;
          }
        }
      }
    }
    if (firstDeny != null) {
      return new Decision(
          false,
          firstDeny,
          "denied by rule "
              + firstDeny.rule()
              + " of policy "
              + firstDeny.id()
              + " v"
              + firstDeny.version(),
          Optional.empty(),
          matched);
    }
    if (firstAllow == null && firstApprove == null) {
      return new Decision(
          false,
          PolicyRef.DEFAULT_DENY,
          "no policy rule allows "
              + req.operation()
              + " of secret "
              + req.secret().id()
              + " for principal "
              + req.principal(),
          Optional.empty(),
          matched);
    }
    if (attestRule != null && req.attestation().isEmpty()) {
      return new Decision(
          false,
          attestRule,
          "rule "
              + attestRule.rule()
              + " requires an attested workload identity,"
              + " and none was presented",
          Optional.empty(),
          matched);
    }
    if (ttlRule != null && req.ttl().isPresent() && req.ttl().get().compareTo(maxTtl.get()) > 0) {
      return new Decision(
          false,
          ttlRule,
          "ttl "
              + req.ttl().get().toSeconds()
              + "s exceeds the max_ttl of rule "
              + ttlRule.rule()
              + " ("
              + maxTtl.get().toSeconds()
              + "s)",
          maxTtl,
          matched);
    }
    if (firstApprove != null) {
      return new Decision(
          false,
          firstApprove,
          "rule "
              + firstApprove.rule()
              + " of policy "
              + firstApprove.id()
              + " v"
              + firstApprove.version()
              + " requires the approval of one of "
              + String.join(", ", approveRule.approvers()),
          maxTtl,
          matched,
          Optional.of(
              new Decision.Approval(
                  approveRule.approvers(),
                  approveRule.approvalTtl().orElse(Rule.DEFAULT_APPROVAL_TTL))));
    }
    return new Decision(
        true,
        firstAllow,
        "allowed by rule "
            + firstAllow.rule()
            + " of policy "
            + firstAllow.id()
            + " v"
            + firstAllow.version(),
        maxTtl,
        matched);
  }

  private static Map<String, Object> variables(PolicyRequest req) {
    Map<String, Object> request = new HashMap<>();
    request.put("operation", req.operation());
    request.put("ttl_seconds", req.ttl().map(Duration::toSeconds).orElse(0L));
    request.put("amount", req.amount().map(a -> a.doubleValue()).orElse(0.0));
    request.put("environment", req.environment());
    request.put("time", req.time().getEpochSecond());
    request.put("hour_utc", (long) req.time().atZone(ZoneOffset.UTC).getHour());
    request.put("subject", req.subject().orElse(req.principal()));
    request.put("scope", req.scope().orElse(""));
    Map<String, Object> principal = new HashMap<>();
    principal.put("name", req.principal());
    principal.put("service_account_id", req.serviceAccountId());
    principal.put("attested", !req.attestation().isEmpty());
    Secret s = req.secret();
    Map<String, Object> secret = new HashMap<>();
    secret.put("id", s.id());
    secret.put("name", s.name());
    secret.put("provider", s.provider());
    secret.put("resource_class", s.resourceClass());
    secret.put("environment", s.environment());
    secret.put("owner", s.owner());
    secret.put("tags", List.copyOf(s.tags()));
    Map<String, Object> vars = new HashMap<>();
    vars.put("request", request);
    vars.put("principal", principal);
    vars.put("secret", secret);
    vars.put("attestation", celValue(req.attestation()));
    return vars;
  }

  /** Claims as CEL values: ints as long, dates as epoch seconds, nested lists and maps kept. */
  @SuppressWarnings("unchecked")
  static Object celValue(Object v) {
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put(String.valueOf(k), celValue(x)));
      return out;
    } else if (v instanceof List<?> l) {
      return l.stream().map(PolicyEngine::celValue).toList();
    } else if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    } else if (v instanceof Float f) {
      return f.doubleValue();
    } else if (v instanceof Date d) {
      return d.getTime() / 1000;
    } else if (v instanceof String
        || v instanceof Long
        || v instanceof Double
        || v instanceof Boolean) {
      return v;
    }
    return v == null ? "" : String.valueOf(v);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "error";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static CompiledPolicy compile(VersionedPolicy v) {
    List<CompiledRule> rules = new ArrayList<>();
    for (int i = 0; i < v.document().rules().size(); i++) {
      Rule r = v.document().rules().get(i);
      CelRuntime.Program cond =
          r.condition().map(c -> CelConditions.compile("rules.condition", c)).orElse(null);
      rules.add(new CompiledRule(r, cond));
    }
    return new CompiledPolicy(v.document().id(), v.version(), List.copyOf(rules));
  }

  /** A policy document at one version, as stored. */
  public record VersionedPolicy(PolicyDocument document, int version) {}

  private record CompiledPolicy(String id, int version, List<CompiledRule> rules) {}

  private static final class CompiledRule {
    final Rule rule;
    final CelRuntime.Program condition;
    final List<Pattern> principals;
    final List<Pattern> names;

    CompiledRule(Rule rule, CelRuntime.Program condition) {
      this.rule = rule;
      this.condition = condition;
      this.principals =
          rule.principals().stream()
              .filter(p -> !p.startsWith("sa:"))
              .map(CompiledRule::glob)
              .toList();
      this.names = rule.resources().names().stream().map(CompiledRule::glob).toList();
    }

    boolean matches(PolicyRequest req) {
      if (!rule.operations().contains("*") && !rule.operations().contains(req.operation())) {
        return false;
      }
      if (!rule.principals().isEmpty()) {
        String name = req.principal().toLowerCase(Locale.ROOT);
        boolean any =
            principals.stream().anyMatch(p -> p.matcher(name).matches())
                || rule.principals().contains("sa:" + req.serviceAccountId());
        if (!any) {
          return false;
        }
      }
      Rule.Resources r = rule.resources();
      Secret s = req.secret();
      if (!r.secretIds().isEmpty() && !r.secretIds().contains(s.id())) {
        return false;
      }
      if (!names.isEmpty()
          && names.stream()
              .noneMatch(p -> p.matcher(s.name().toLowerCase(Locale.ROOT)).matches())) {
        return false;
      }
      return in(r.resourceClasses(), s.resourceClass())
          && in(r.environments(), s.environment())
          && in(r.providers(), s.provider())
          && (r.tags().isEmpty()
              || s.tags().stream().anyMatch(t -> r.tags().contains(t.toLowerCase(Locale.ROOT))));
    }

    private static boolean in(List<String> allowed, String value) {
      return allowed.isEmpty() || allowed.contains(value.toLowerCase(Locale.ROOT));
    }

    static Pattern glob(String g) {
      StringBuilder re = new StringBuilder();
      for (String part : g.split("(?=[*?])|(?<=[*?])")) {
        switch (part) {
          case "*" -> re.append(".*");
          case "?" -> re.append('.');
          default -> re.append(Pattern.quote(part));
        }
      }
      return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
  }
}
