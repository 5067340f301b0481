package io.secretsapi.exposure;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A secret's score reaching its threshold from below: acted on once.
 *
 * @param number how many times this secret has crossed, this one included: with the secret id, an
 *     idempotency key for what the crossing queues ({@link #key})
 * @param thresholdSource where the threshold was set: {@code secret}, {@code policy}, {@code
 *     resource_class} or {@code default}
 * @param action {@code rotate} or {@code incident}
 */
public record Crossing(
    String secretId,
    long number,
    double score,
    double delta,
    double windowSeconds,
    double threshold,
    String thresholdSource,
    String action,
    List<Factor> factors,
    Instant at) {
  public Crossing {
    factors = List.copyOf(factors);
  }

  /** The idempotency key of what this crossing queues: one rotation or incident per crossing. */
  public String key() {
    return "exposure:" + secretId + ":" + number;
  }

  /**
   * The documents' wording: {@code anomaly score exceeded threshold · score 0.82 · Δ +0.18 · window
   * 9.0s}.
   */
  public String wording() {
    return String.format(
        Locale.ROOT,
        "anomaly score exceeded threshold · score %.2f · Δ %+.2f · window %.1fs · threshold %.2f"
            + " (%s) · %s",
        score,
        delta,
        windowSeconds,
        threshold,
        thresholdSource,
        action.equals("rotate") ? "rotation requested" : "incident requested");
  }
}
