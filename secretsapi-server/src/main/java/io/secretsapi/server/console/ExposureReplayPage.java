package io.secretsapi.server.console;

import java.util.List;
import java.util.Optional;

/**
 * One secret's exposure (the exposure replay of the source documents): its score now, its history
 * newest first with a sparkline, and its {@code EX-} events, as {@code GET /secrets/{id}/exposure}
 * answers them.
 *
 * @param current the score now; empty while this node has seen no call of the secret
 * @param spark the history as an inline SVG polyline, oldest to newest; empty under two samples
 * @param canVerify whether the key may check the events against the latest signed checkpoint
 *     ({@code GET /audit/trail} and {@code GET /audit/proof/inclusion})
 */
record ExposureReplayPage(
    Frame frame,
    String secretId,
    String name,
    Optional<Now> current,
    List<Point> history,
    Optional<Sparkline> spark,
    List<Event> replay,
    boolean canVerify) {

  /** The score now, as the documents write it: {@code score 0.82 · Δ +0.18 · window 9.0s}. */
  record Now(
      String score,
      String delta,
      String deltaWindow,
      String threshold,
      String source,
      boolean above) {}

  /** One sample of the history. */
  record Point(String at, String atIso, String score, String delta) {}

  /**
   * One {@code EX-} event: an {@code exposure.*} record of the secret's trail, {@code EX-1181}
   * being the record {@code AU-1181}.
   */
  record Event(
      String id,
      String auditRef,
      String at,
      String atIso,
      String type,
      String title,
      String detail) {}
}
