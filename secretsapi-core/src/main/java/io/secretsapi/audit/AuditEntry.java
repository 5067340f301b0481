package io.secretsapi.audit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One record of the audit trail, before it has an offset. Never holds a secret value.
 *
 * @param type such as {@code token.issue}, {@code token.refuse}, {@code token.revoke}
 * @param decision {@code allow}, {@code deny} or {@code done}
 * @param source the caller's network address, for a record of a request
 * @param route the method and route template, such as {@code GET /secrets/{id}}
 * @param status the HTTP status answered, for a record of a request
 * @param hashed caller-supplied values that may be sensitive, by name, each as its keyed hash
 * @param details lists of ids the record names besides its subject, by name: the {@code packages}
 *     and {@code engines} a secret serves, on a record of its lifecycle (design 0034); empty on
 *     every other record, and then absent from the canonical record
 */
public record AuditEntry(
    String type,
    String actor,
    Optional<String> subject,
    Optional<String> secretId,
    Optional<String> tokenId,
    Optional<String> scope,
    Optional<PolicyRef> policy,
    String decision,
    String reason,
    Optional<String> environment,
    Optional<String> requestId,
    Optional<String> source,
    Optional<String> route,
    Optional<Integer> status,
    Map<String, String> hashed,
    Map<String, List<String>> details) {
  public AuditEntry {
    hashed = Map.copyOf(hashed);
    if (details.isEmpty()) {
      details = Map.of(); // every record but a bundled secret's lifecycle: nothing to copy
    } else {
      Map<String, List<String>> d = new java.util.TreeMap<>();
      details.forEach((k, v) -> d.put(k, List.copyOf(v)));
      details = java.util.Collections.unmodifiableMap(d);
    }
  }

  /** This entry with {@code more} details added (replacing any of the same name). */
  public AuditEntry withDetails(Map<String, List<String>> more) {
    if (more.isEmpty()) {
      return this;
    }
    Map<String, List<String>> d = new java.util.TreeMap<>(details);
    d.putAll(more);
    return new AuditEntry(
        type,
        actor,
        subject,
        secretId,
        tokenId,
        scope,
        policy,
        decision,
        reason,
        environment,
        requestId,
        source,
        route,
        status,
        hashed,
        d);
  }

  /** The policy, version and rule that decided. */
  public record PolicyRef(String id, int version, String rule) {}

  /** A builder, since most fields are optional. */
  public static Builder of(String type, String actor, String decision) {
    return new Builder(type, actor, decision);
  }

  /** Builds an {@link AuditEntry}. */
  public static final class Builder {
    private final String type;
    private final String actor;
    private final String decision;
    private String subject;
    private String secretId;
    private String tokenId;
    private String scope;
    private PolicyRef policy;
    private String reason = "";
    private String environment;
    private String requestId;
    private String source;
    private String route;
    private Integer status;
    private final Map<String, String> hashed = new LinkedHashMap<>();

    private Builder(String type, String actor, String decision) {
      this.type = type;
      this.actor = actor;
      this.decision = decision;
    }

    public Builder subject(String v) {
      subject = v;
      return this;
    }

    public Builder secret(String v) {
      secretId = v;
      return this;
    }

    public Builder token(String v) {
      tokenId = v;
      return this;
    }

    public Builder scope(String v) {
      scope = v;
      return this;
    }

    public Builder policy(PolicyRef v) {
      policy = v;
      return this;
    }

    public Builder reason(String v) {
      reason = v;
      return this;
    }

    public Builder environment(String v) {
      environment = v;
      return this;
    }

    public Builder requestId(String v) {
      requestId = v;
      return this;
    }

    public Builder source(String v) {
      source = v;
      return this;
    }

    public Builder route(String v) {
      route = v;
      return this;
    }

    public Builder status(int v) {
      status = v;
      return this;
    }

    /** A caller-supplied value kept only as its keyed hash, under {@code name}. */
    public Builder hashed(String name, String hmac) {
      hashed.put(name, hmac);
      return this;
    }

    public AuditEntry build() {
      return new AuditEntry(
          type,
          actor,
          Optional.ofNullable(subject),
          Optional.ofNullable(secretId),
          Optional.ofNullable(tokenId),
          Optional.ofNullable(scope),
          Optional.ofNullable(policy),
          decision,
          reason,
          Optional.ofNullable(environment),
          Optional.ofNullable(requestId),
          Optional.ofNullable(source),
          Optional.ofNullable(route),
          Optional.ofNullable(status),
          hashed,
          Map.of());
    }
  }
}
