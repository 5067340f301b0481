package io.secretsapi.exposure;

import java.util.List;
import java.util.Locale;

/**
 * The score: six factors, each in 0..1, weighted; the weights sum to 1, so the score is in 0..1.
 *
 * <ul>
 *   <li>{@code scope_breadth} 0.20: how much a grant may do (see {@link Breadth});
 *   <li>{@code call_velocity} 0.20: calls per minute over the window, full at {@value
 *       #VELOCITY_FULL};
 *   <li>{@code distinct_callers} 0.15: callers within the window beyond the first, full at {@value
 *       #CALLERS_FULL} more;
 *   <li>{@code refusals} 0.15: refused calls within the window, full at {@value #REFUSALS_FULL};
 *   <li>{@code value_age} 0.10: days since the current value was set, full at {@value
 *       #AGE_FULL_DAYS};
 *   <li>{@code drift} 0.20: callers, upstream hosts and networks new within the window, full at
 *       {@value #DRIFT_FULL}.
 * </ul>
 */
final class Model {
  static final double W_BREADTH = 0.20;
  static final double W_VELOCITY = 0.20;
  static final double W_CALLERS = 0.15;
  static final double W_REFUSALS = 0.15;
  static final double W_AGE = 0.10;
  static final double W_DRIFT = 0.20;
  static final double VELOCITY_FULL = 120;
  static final double CALLERS_FULL = 4;
  static final double REFUSALS_FULL = 10;
  static final double AGE_FULL_DAYS = 90;
  static final double DRIFT_FULL = 3;

  private Model() {}

  static List<Factor> factors(
      Activity.Counts c, double windowSeconds, Breadth.Value breadth, double ageDays) {
    double perMinute = c.calls() * 60.0 / windowSeconds;
    return List.of(
        new Factor("scope_breadth", W_BREADTH, round(breadth.value()), breadth.detail()),
        new Factor(
            "call_velocity",
            W_VELOCITY,
            cap(perMinute / VELOCITY_FULL),
            String.format(
                Locale.ROOT,
                "%d calls in %ss (%.1f/min)",
                c.calls(),
                seconds(windowSeconds),
                perMinute)),
        new Factor(
            "distinct_callers",
            W_CALLERS,
            cap(Math.max(0, c.callers() - 1) / CALLERS_FULL),
            c.callers() + " distinct callers in the window"),
        new Factor(
            "refusals",
            W_REFUSALS,
            cap(c.refusals() / REFUSALS_FULL),
            c.refusals() + " refused calls in the window"),
        new Factor(
            "value_age",
            W_AGE,
            cap(ageDays / AGE_FULL_DAYS),
            String.format(Locale.ROOT, "current value set %.1f days ago", ageDays)),
        new Factor("drift", W_DRIFT, cap(c.drift().size() / DRIFT_FULL), driftDetail(c.drift())));
  }

  static double score(List<Factor> factors) {
    double s = 0;
    for (Factor f : factors) {
      s += f.contribution();
    }
    return round(cap(s));
  }

  private static String driftDetail(Drift d) {
    if (d.size() == 0) {
      return "nothing new in the window";
    }
    return String.format(
        Locale.ROOT,
        "new in the window: %d callers, %d hosts, %d networks",
        d.callers().size(),
        d.hosts().size(),
        d.networks().size());
  }

  static double cap(double v) {
    return Math.max(0, Math.min(1, v));
  }

  static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  static String seconds(double s) {
    return String.format(Locale.ROOT, "%.1f", s);
  }
}
