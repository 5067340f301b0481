package io.secretsapi.exposure;

import static java.util.Objects.requireNonNull;

import io.secretsapi.ValidationException;
import java.time.Duration;

/**
 * How exposure is scored on this node.
 *
 * @param enabled whether the broker counts calls and scores at all; off, the append listener is a
 *     no-op and nothing is evaluated (the benchmark's baseline)
 * @param window the sliding window of velocity, callers, refusals and drift (1s to 1h)
 * @param threshold the threshold of a secret none is set for (0..1)
 * @param action what a crossing of that default threshold asks: {@code rotate} or {@code incident}
 */
public record ExposureSettings(boolean enabled, Duration window, double threshold, String action) {
  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(60);
  public static final double DEFAULT_THRESHOLD = 0.8;

  public ExposureSettings {
    requireNonNull(window, "window");
    requireNonNull(action, "action");
    if (window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(Duration.ofHours(1)) > 0) {
      throw new ValidationException("exposure.window", "range", "exposure.window must be 1s to 1h");
    }
    Threshold.check("exposure.threshold", threshold);
    Threshold.checkAction("exposure.action", action);
  }

  public static ExposureSettings defaults() {
    return new ExposureSettings(true, DEFAULT_WINDOW, DEFAULT_THRESHOLD, "rotate");
  }
}
