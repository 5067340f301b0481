package io.secretsapi.server.console;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/** Times as the source documents show them: {@code 12s ago}, {@code 14:32:11 UTC}. */
final class Times {
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DATED =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private Times() {}

  /** {@code 12s ago}, {@code 2m ago}, {@code 3h ago}, {@code 4d ago}; {@code never} when empty. */
  static String ago(Optional<Instant> then, Instant now) {
    if (then.isEmpty()) {
      return "never";
    }
    long s = Math.max(0, Duration.between(then.get(), now).toSeconds());
    if (s < 60) {
      return s + "s ago";
    } else if (s < 3600) {
      return s / 60 + "m ago";
    } else if (s < 86_400) {
      return s / 3600 + "h ago";
    }
    return s / 86_400 + "d ago";
  }

  /** {@code 14:32:11 UTC} for a time of today (UTC), else with its date. */
  static String utc(Instant t, Instant now) {
    boolean today =
        t.atZone(ZoneOffset.UTC).toLocalDate().equals(now.atZone(ZoneOffset.UTC).toLocalDate());
    return today ? CLOCK.format(t) : DATED.format(t);
  }

  /** The machine-readable form, for {@code <time datetime>}. */
  static String iso(Instant t) {
    return t.toString();
  }
}
