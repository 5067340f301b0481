package io.secretsapi.server.console;

import java.util.List;

/**
 * The incidents screen's list: the {@code IN-} incidents of {@code GET /incidents}, newest first,
 * open or closed, each with its containment progress, and the form that opens one.
 *
 * @param state the state filter ({@code open}, {@code closed}), empty for any
 * @param canOpen whether the key may open and close incidents ({@code tokens:revoke} and {@code
 *     policies:write})
 */
record IncidentsPage(Frame frame, String state, List<Row> rows, String showing, boolean canOpen) {

  /**
   * One incident.
   *
   * @param containment percent of the playbook done, 0 to 100
   */
  record Row(
      String id,
      String secretId,
      String state,
      int containment,
      String reason,
      String openedBy,
      String opened,
      String openedIso,
      String closed,
      String closedIso) {}
}
