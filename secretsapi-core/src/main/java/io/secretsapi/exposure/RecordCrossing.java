package io.secretsapi.exposure;

import static java.util.Objects.requireNonNull;

import io.secretsapi.audit.AuditEntry;
import io.secretsapi.audit.AuditLog;
import org.jdbi.v3.core.Handle;

/** Records a crossing in the audit trail as {@code exposure.threshold}. */
final class RecordCrossing implements ExposureActions {
  /** The record type of a crossing. */
  static final String TYPE = "exposure.threshold";

  /** The actor of what exposure scoring records. */
  static final String ACTOR = "exposure";

  private final AuditLog audit;

  RecordCrossing(AuditLog audit) {
    this.audit = requireNonNull(audit, "audit");
  }

  @Override
  public String thresholdCrossed(Handle h, Crossing c) {
    long offset =
        audit.append(
            h, AuditEntry.of(TYPE, ACTOR, "done").secret(c.secretId()).reason(c.wording()).build());
    return AuditLog.ref(offset);
  }
}
