package io.secretsapi.audit;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import org.jdbi.v3.core.Handle;

/**
 * Appends audit records inside the caller's transaction, so that a record exists exactly when the
 * change it describes does. The offset is the record's place in the trail; {@code AU-} plus the
 * offset is the {@code audit_ref} the API answers with.
 *
 * <p>This is the trail's storage; hash-linking, signed checkpoints and export build on it.
 */
public final class AuditLog {
  private final Clock clock;

  public AuditLog(Clock clock) {
    this.clock = requireNonNull(clock, "clock");
  }

  /** Appends {@code e} on {@code h} and answers its offset. */
  public long append(Handle h, AuditEntry e) {
    return h.createQuery(
            "INSERT INTO audit_records (recorded_at, type, actor, subject, secret_id, token_id, scope,"
                + " policy_id, policy_version, policy_rule, decision, reason, environment, request_id)"
                + " VALUES (:at, :type, :actor, :subject, :secret, :token, :scope, :pid, :pver, :prule,"
                + " :decision, :reason, :env, :rid) RETURNING audit_offset")
        .bind("at", clock.millis())
        .bind("type", e.type())
        .bind("actor", e.actor())
        .bind("subject", e.subject().orElse(null))
        .bind("secret", e.secretId().orElse(null))
        .bind("token", e.tokenId().orElse(null))
        .bind("scope", e.scope().orElse(null))
        .bind("pid", e.policy().map(AuditEntry.PolicyRef::id).orElse(null))
        .bind("pver", e.policy().map(AuditEntry.PolicyRef::version).orElse(null))
        .bind("prule", e.policy().map(AuditEntry.PolicyRef::rule).orElse(null))
        .bind("decision", e.decision())
        .bind("reason", e.reason())
        .bind("env", e.environment().orElse(null))
        .bind("rid", e.requestId().orElse(null))
        .mapTo(Long.class)
        .one();
  }

  /** The reference the API shows for an offset. */
  public static String ref(long offset) {
    return "AU-" + offset;
  }
}
