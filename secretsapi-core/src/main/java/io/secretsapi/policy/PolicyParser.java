package io.secretsapi.policy;

import io.secretsapi.Durations;
import io.secretsapi.Inputs;
import io.secretsapi.ValidationException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads a policy document (YAML, or JSON, which is YAML too) strictly: unknown keys, wrong types,
 * duplicate keys and rule ids, unknown operations and bad CEL are refused, naming the path such as
 * {@code rules[2].effect}.
 */
final class PolicyParser {
  static final Set<String> OPERATIONS =
      Set.of("issue", "derive", "resolve", "proxy", "revoke", "delegate", "validate", "*");
  private static final YAMLMapper YAML =
      YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final Set<String> TOP = Set.of("id", "description", "rules");
  private static final Set<String> RULE =
      Set.of(
          "id",
          "effect",
          "description",
          "principals",
          "resources",
          "operations",
          "condition",
          "obligations",
          "approvers",
          "approval_ttl");
  private static final Set<String> RESOURCES =
      Set.of("secret_ids", "names", "resource_classes", "environments", "providers", "tags");
  private static final Set<String> OBLIGATIONS = Set.of("max_ttl", "require_attestation");

  private PolicyParser() {}

  static PolicyDocument parse(String expectedId, String text) {
    if (text == null || text.isBlank()) {
      throw new ValidationException("body", "required", "the policy document is empty");
    }
    if (text.length() > 256 * 1024) {
      throw new ValidationException(
          "body", "max_size", "the policy document must be at most 256 KiB");
    }
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (JacksonException e) {
      throw new ValidationException(
          "body",
          "yaml",
          "the policy document is not valid YAML or JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new ValidationException("body", "type", "the policy document must be a mapping");
    }
    keys(root, "", TOP);
    String id = string(root, "id", "id").orElse(expectedId);
    if (!id.equals(expectedId)) {
      throw new ValidationException(
          "id", "match", "id must be " + expectedId + ", the id in the path");
    }
    String description = string(root, "description", "description").orElse("");
    JsonNode rules = root.get("rules");
    if (rules == null || !rules.isArray() || rules.isEmpty()) {
      throw new ValidationException("rules", "required", "rules must be a non-empty list");
    }
    if (rules.size() > 500) {
      throw new ValidationException("rules", "max_items", "rules must hold at most 500 entries");
    }
    List<Rule> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < rules.size(); i++) {
      Rule r = rule(rules.get(i), "rules[" + i + "]");
      if (!ids.add(r.id())) {
        throw new ValidationException(
            "rules[" + i + "].id", "unique", "rule id " + r.id() + " is used twice");
      }
      out.add(r);
    }
    return new PolicyDocument(id, description, List.copyOf(out));
  }

  private static Rule rule(JsonNode n, String path) {
    if (!n.isObject()) {
      throw new ValidationException(path, "type", path + " must be a mapping");
    }
    keys(n, path + ".", RULE);
    String id = Inputs.name(path + ".id", string(n, "id", path + ".id").orElse(null), 64);
    String effect = string(n, "effect", path + ".effect").orElse(null);
    if (!"allow".equals(effect) && !"deny".equals(effect) && !"approve".equals(effect)) {
      throw new ValidationException(
          path + ".effect", "enum", path + ".effect must be allow, deny or approve");
    }
    List<String> approvers = approvers(n, path, effect);
    Optional<java.time.Duration> approvalTtl = approvalTtl(n, path, effect);
    List<String> principals = list(n, "principals", path + ".principals");
    List<String> operations = list(n, "operations", path + ".operations");
    if (operations.isEmpty()) {
      throw new ValidationException(
          path + ".operations", "required", path + ".operations must name at least one");
    }
    for (int i = 0; i < operations.size(); i++) {
      if (!OPERATIONS.contains(operations.get(i))) {
        throw new ValidationException(
            path + ".operations[" + i + "]",
            "enum",
            path
                + ".operations["
                + i
                + "] must be one of issue, derive, resolve, proxy, revoke, delegate, validate, *");
      }
    }
    if ("approve".equals(effect) && !operations.equals(List.of("issue"))) {
      throw new ValidationException(
          path + ".operations",
          "approve_issue_only",
          path
              + ".operations must be [issue] for effect approve: only issuance waits for a person,"
              + " and the issued token is used under the allow rules");
    }
    Rule.Resources resources = Rule.Resources.any();
    JsonNode res = n.get("resources");
    if (res != null && !res.isNull()) {
      if (!res.isObject()) {
        throw new ValidationException(
            path + ".resources", "type", path + ".resources must be a mapping");
      }
      keys(res, path + ".resources.", RESOURCES);
      String p = path + ".resources.";
      resources =
          new Rule.Resources(
              list(res, "secret_ids", p + "secret_ids"),
              lower(list(res, "names", p + "names")),
              lower(list(res, "resource_classes", p + "resource_classes")),
              lower(list(res, "environments", p + "environments")),
              lower(list(res, "providers", p + "providers")),
              lower(list(res, "tags", p + "tags")));
    }
    Optional<String> condition = string(n, "condition", path + ".condition");
    condition.ifPresent(c -> CelConditions.compile(path + ".condition", c));
    Optional<java.time.Duration> maxTtl = Optional.empty();
    boolean attest = false;
    JsonNode ob = n.get("obligations");
    if (ob != null && !ob.isNull()) {
      if (!ob.isObject()) {
        throw new ValidationException(
            path + ".obligations", "type", path + ".obligations must be a mapping");
      }
      keys(ob, path + ".obligations.", OBLIGATIONS);
      maxTtl =
          string(ob, "max_ttl", path + ".obligations.max_ttl")
              .map(t -> Durations.parse(path + ".obligations.max_ttl", t));
      JsonNode ra = ob.get("require_attestation");
      if (ra != null) {
        if (!ra.isBoolean()) {
          throw new ValidationException(
              path + ".obligations.require_attestation",
              "type",
              path + ".obligations.require_attestation must be true or false");
        }
        attest = ra.asBoolean();
      }
    }
    return new Rule(
        id,
        effect,
        string(n, "description", path + ".description").orElse(""),
        lower(principals),
        resources,
        operations,
        condition,
        maxTtl,
        attest,
        approvers,
        approvalTtl);
  }

  /** An approve rule's approvers: principal names or {@code sa:ID}, at least one. */
  private static List<String> approvers(JsonNode n, String path, String effect) {
    String p = path + ".approvers";
    List<String> approvers = list(n, "approvers", p);
    if (!"approve".equals(effect)) {
      if (n.has("approvers")) {
        throw new ValidationException(
            p, "approve_only", p + " is allowed only on a rule with effect approve");
      }
      return List.of();
    }
    if (approvers.isEmpty()) {
      throw new ValidationException(
          p, "required", p + " must name at least one approver for effect approve");
    }
    if (approvers.size() > 50) {
      throw new ValidationException(p, "max_items", p + " must hold at most 50 entries");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < approvers.size(); i++) {
      String a = approvers.get(i).toLowerCase(Locale.ROOT);
      String field = p + "[" + i + "]";
      if (a.startsWith("sa:")) {
        Inputs.name(field, a.substring(3), 64);
      } else if (a.contains("*") || a.contains("?")) {
        throw new ValidationException(
            field, "no_glob", field + " must name one service account, not a glob");
      } else {
        Inputs.name(field, a, 64);
      }
      if (out.contains(a)) {
        throw new ValidationException(field, "unique", field + " names " + a + " twice");
      }
      out.add(a);
    }
    return List.copyOf(out);
  }

  /** An approve rule's approval_ttl: how long a request waits, 1m to 24h, 15m by default. */
  private static Optional<java.time.Duration> approvalTtl(JsonNode n, String path, String effect) {
    String p = path + ".approval_ttl";
    Optional<String> text = string(n, "approval_ttl", p);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    if (!"approve".equals(effect)) {
      throw new ValidationException(
          p, "approve_only", p + " is allowed only on a rule with effect approve");
    }
    java.time.Duration d = Durations.parse(p, text.get());
    if (d.compareTo(java.time.Duration.ofMinutes(1)) < 0
        || d.compareTo(java.time.Duration.ofHours(24)) > 0) {
      throw new ValidationException(p, "range", p + " must be between 1m and 24h");
    }
    return Optional.of(d);
  }

  private static void keys(JsonNode n, String prefix, Set<String> allowed) {
    for (var e : n.properties()) {
      if (!allowed.contains(e.getKey())) {
        throw new ValidationException(
            prefix + e.getKey(),
            "unknown_field",
            "unknown field "
                + prefix
                + e.getKey()
                + "; allowed: "
                + String.join(", ", new java.util.TreeSet<>(allowed)));
      }
    }
  }

  private static Optional<String> string(JsonNode n, String key, String path) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isString()) {
      throw new ValidationException(path, "type", path + " must be a string");
    }
    return Optional.of(v.asString());
  }

  private static List<String> list(JsonNode n, String key, String path) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (!v.isArray()) {
      throw new ValidationException(path, "type", path + " must be a list of strings");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      JsonNode x = v.get(i);
      if (!x.isString() || x.asString().isBlank() || x.asString().length() > 256) {
        throw new ValidationException(
            path + "[" + i + "]", "type", path + "[" + i + "] must be a non-empty string");
      }
      out.add(x.asString());
    }
    return List.copyOf(out);
  }

  private static List<String> lower(List<String> in) {
    return in.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
  }
}
