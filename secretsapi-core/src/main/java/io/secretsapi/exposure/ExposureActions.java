package io.secretsapi.exposure;

import io.secretsapi.audit.AuditLog;
import org.jdbi.v3.core.Handle;

/**
 * What a threshold crossing does: queue a rotation of the secret, or raise an incident.
 *
 * <p>Guarantee: called exactly once per {@link Crossing}, inside the transaction that marks the
 * secret above its threshold (whichever node saw it first), so that what the implementation writes
 * on {@code h} commits with the crossing or not at all. It runs on the broker's job thread, never
 * on a request's. Implementations must be thread-safe and must not start transactions of their own.
 */
public interface ExposureActions {
  /**
   * Acts on {@code crossing}; answers the reference of what was done ({@code AU-}, {@code ROT-} or
   * {@code IN-}).
   */
  String thresholdCrossed(Handle h, Crossing crossing);

  /**
   * After the crossing committed, on the same thread: for what cannot share its transaction (an
   * incident runs a playbook of its own transactions). Not called when the transaction rolled back;
   * lost if the node stops between the commit and this call.
   */
  default void afterCommit(Crossing crossing) {}

  /**
   * What the broker does today: records the crossing in the audit trail ({@code
   * exposure.threshold}, in the documents' wording), which the event stream and webhooks carry as
   * an {@code EX-} event.
   */
  static ExposureActions recording(AuditLog audit) {
    return new RecordCrossing(audit);
  }
}
