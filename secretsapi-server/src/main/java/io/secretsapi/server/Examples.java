package io.secretsapi.server;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Examples of the six endpoints of the source documents, for the API description. A test checks
 * each against its route's declared schema, so an example cannot drift from the answer it shows.
 */
final class Examples {
  private Examples() {}

  private static final String SECRET = "sec_7fa91c";

  /** The request of the source documents ({@code POST /tokens/issue}). */
  static final Map<String, Object> ISSUE_REQUEST =
      ordered(
          "secret_id", SECRET,
          "scope", "model-access",
          "ttl", "15m",
          "requested_by", "agent-runtime-04",
          "environment", "production");

  static final Map<String, Object> SCOPE_REQUEST =
      ordered(
          "name",
          "model-access",
          "operations",
          List.of("proxy"),
          "upstream",
          ordered(
              "hosts", List.of("api.openai.com"),
              "methods", List.of("POST"),
              "path_prefixes", List.of("/v1/chat/completions")),
          "max_ttl",
          "15m",
          "max_uses",
          100);

  static final Map<String, Object> ROTATE_REQUEST = ordered("grace", "24h");

  static final Map<String, Object> REVOKE_REQUEST =
      ordered("token_id", "tok_91bd27c4e0aa", "cascade", true, "reason", "agent finished");

  private static Map<String, Object> policyRef() {
    return ordered("id", "KEY-SCOPE-17", "version", 4, "rule", "agents-model-access");
  }

  static Map<String, Object> issueAnswer() {
    return ordered(
        "status", "scoped_token_issued",
        "token_id", "tok_91bd27c4e0aa",
        "expires_in", "15m",
        "policy", "verified",
        "audit_ref", "AU-1042",
        "token",
            "eyJhbGciOiJFZERTQSIsImtpZCI6InRrXzEiLCJ0eXAiOiJKV1QifQ.eyJqdGkiOiJ0b2tfOTFiZCJ9.c2ln",
        "expires_at", "2026-12-07T09:15:00Z",
        "scope", "model-access",
        "policy_ref", policyRef(),
        "subject", "agent-runtime-04",
        "actor", null,
        "operations", List.of("proxy"));
  }

  static Map<String, Object> scopeAnswer() {
    Map<String, Object> m = new LinkedHashMap<>(SCOPE_REQUEST);
    m.put("secret_id", SECRET);
    m.put("max_amount", null);
    m.put("amount_field", null);
    m.put("created_at", "2026-12-07T09:00:00Z");
    return m;
  }

  private static Map<String, Object> secret() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", SECRET);
    m.put("account_id", "sak_platform");
    m.put("name", "openai-prod-key");
    m.put("provider", "openai");
    m.put("resource_class", "model-access");
    m.put("environment", "production");
    m.put("owner", "platform");
    m.put("tags", List.of("llm"));
    m.put("kind", "static");
    m.put("status", "active");
    m.put("current_version", 2);
    m.put("masked", "sk-p...x9Qa");
    m.put("fingerprint", "fp_3c1e9a7b");
    m.put("injection", null);
    m.put("validation_url", null);
    m.put("created_at", "2026-11-02T10:00:00Z");
    m.put("updated_at", "2026-12-07T09:00:00Z");
    m.put("last_accessed_at", "2026-12-07T08:59:12Z");
    return m;
  }

  static Map<String, Object> rotateAnswer() {
    return ordered(
        "status",
        "rotated",
        "secret_id",
        SECRET,
        "version",
        2,
        "previous_version",
        1,
        "grace_until",
        "2026-12-08T09:00:00Z",
        "secret",
        secret());
  }

  static Map<String, Object> revokeAnswer() {
    return ordered(
        "status", "revoked",
        "kind", "token",
        "target", "tok_91bd27c4e0aa",
        "revoked", 3,
        "revocation_seq", 57,
        "audit_ref", "AU-1043");
  }

  private static Map<String, Object> record(long offset, String type) {
    return ordered(
        "offset",
        offset,
        "type",
        type,
        "principal",
        "agent-runtime-04",
        "decision",
        "allow",
        "secret_id",
        SECRET,
        "time",
        "2026-12-07T09:00:00Z");
  }

  static Map<String, Object> trailAnswer() {
    return ordered(
        "items",
        List.of(
            ordered(
                "audit_ref",
                "AU-1042",
                "offset",
                1042,
                "leaf_hash",
                "9f2c4a...e1",
                "record",
                record(1042, "token.issue"))),
        "next_cursor",
        null);
  }

  static Map<String, Object> eventsAnswer() {
    return ordered(
        "events",
        List.of(
            ordered(
                "id",
                1042,
                "event",
                "grant",
                "audit_ref",
                "AU-1042",
                "record",
                record(1042, "token.issue"))),
        "next_after",
        1042);
  }

  /** A map in the order given: key, value, key, value... (Map.of forgets the order). */
  private static Map<String, Object> ordered(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
