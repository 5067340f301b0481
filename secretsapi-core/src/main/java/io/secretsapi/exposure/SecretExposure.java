package io.secretsapi.exposure;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A secret's exposure: its score now (empty when this node has seen no call of it), its history and
 * its exposure replay.
 */
public record SecretExposure(
    String secretId, Optional<Exposure> current, List<Point> history, List<ReplayEvent> replay) {
  public SecretExposure {
    history = List.copyOf(history);
    replay = List.copyOf(replay);
  }

  /** One sample of the score's history, newest first. */
  public record Point(Instant at, double score, double delta, List<Factor> factors) {}

  /**
   * One {@code EX-} event of the exposure replay: an {@code exposure.*} record of the secret's
   * trail; {@code EX-} and {@code AU-} share the offset.
   *
   * @param title such as {@code anomaly score exceeded threshold}
   * @param detail such as {@code score 0.82 · Δ +0.18 · window 9.0s}
   */
  public record ReplayEvent(
      String id, Instant at, String type, String title, String detail, String auditRef) {}
}
