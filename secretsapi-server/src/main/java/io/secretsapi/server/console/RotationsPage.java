package io.secretsapi.server.console;

import java.util.List;
import java.util.Optional;

/**
 * The rotation queue (screen {@code rotations}): the {@code ROT-} rotations of {@code GET
 * /rotations}, newest first, filtered by state and secret, and one rotation with its steps as the
 * audit trail records them. Holds no value: a rotation has none.
 *
 * @param state the state filter, empty for any
 * @param secretId the secret filter, empty for any
 * @param canRotate whether the key may queue a rotation ({@code secrets:write})
 * @param showing such as {@code showing 12, 3 in flight}
 */
record RotationsPage(
    Frame frame,
    String state,
    String secretId,
    List<String> states,
    List<Row> rows,
    String showing,
    boolean canRotate,
    Optional<Detail> detail) {

  /** The secret "Rotate now" names first: the open rotation's, else the filter's. */
  String rotateTarget() {
    return detail.map(d -> d.row().secretId()).orElse(secretId);
  }

  /**
   * One rotation as a row of the queue.
   *
   * @param versions such as {@code v3 → v4}; {@code v3 → …} before the new value is made
   * @param graceEnd when the old version is sealed, once promoted; empty before
   * @param failure why it failed, for a {@code failed} rotation; empty otherwise
   */
  record Row(
      String id,
      String secretId,
      String trigger,
      String rotator,
      String state,
      String versions,
      String graceEnd,
      String graceEndIso,
      String failure,
      String reason,
      String requestedBy,
      String created,
      String createdIso) {}

  /**
   * One rotation's page: its row, and its {@code rotation.*} audit records, oldest first.
   *
   * @param stepsReadable whether the key may read the audit trail ({@code audit:read}); without it
   *     the steps are not listed
   */
  record Detail(Row row, String grace, int attempts, List<Step> steps, boolean stepsReadable) {}

  /**
   * One step of a rotation, as its audit record tells it.
   *
   * @param auditRef such as {@code AU-94182}, linking to the record on the audit screen
   * @param state the state the step moved to, such as {@code promoted}
   */
  record Step(
      String auditRef,
      long offset,
      String time,
      String iso,
      String state,
      String actor,
      String reason) {}
}
