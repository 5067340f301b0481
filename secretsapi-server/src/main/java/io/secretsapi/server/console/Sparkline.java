package io.secretsapi.server.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A score history (0..1) drawn as an inline SVG polyline, rendered by the server: no script, no
 * chart library. The y axis is the score's whole range, so that two sparklines compare.
 *
 * @param points the polyline's {@code points}, oldest sample at the left
 * @param thresholdY where the threshold's line is drawn
 * @param label what a screen reader hears: {@code score 0.12 to 0.82 over 9 samples}
 */
record Sparkline(int width, int height, String points, String thresholdY, String label) {
  static final int WIDTH = 480;
  static final int HEIGHT = 64;

  /** The sparkline of {@code oldestFirst}; empty under two samples (a point is not a line). */
  static Optional<Sparkline> of(List<Double> oldestFirst, double threshold) {
    int n = oldestFirst.size();
    if (n < 2) {
      return Optional.empty();
    }
    List<String> pts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      pts.add(fmt(i * (double) WIDTH / (n - 1)) + "," + y(oldestFirst.get(i)));
    }
    String label =
        String.format(
            Locale.ROOT,
            "score %.2f to %.2f over %d samples, threshold %.2f",
            oldestFirst.get(0),
            oldestFirst.get(n - 1),
            n,
            threshold);
    return Optional.of(new Sparkline(WIDTH, HEIGHT, String.join(" ", pts), y(threshold), label));
  }

  /** 1 at the top, 0 at the bottom, a pixel inside either edge so the stroke shows. */
  private static String y(double score) {
    double s = Math.max(0, Math.min(1, score));
    return fmt(1 + (1 - s) * (HEIGHT - 2));
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
