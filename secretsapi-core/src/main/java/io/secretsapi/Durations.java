package io.secretsapi;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the short durations of the API: {@code 90s}, {@code 15m}, {@code 1h}, {@code 7d}. Every
 * duration the broker reads (request fields, policy obligations, configuration) goes through here,
 * and the text must be exactly digits and a unit: no sign, no spaces, no control characters, no
 * other digits than ASCII. Nothing is trimmed, so what was stored is what was sent.
 */
public final class Durations {
  private static final Pattern SHORT = Pattern.compile("([0-9]{1,9})(ms|s|m|h|d)");

  private Durations() {}

  /**
   * Parses {@code text} for the named field.
   *
   * @throws ValidationException naming {@code field} when the text is not a duration
   */
  public static Duration parse(String field, String text) {
    if (text == null || text.isBlank()) {
      throw new ValidationException(field, "required", field + " is required");
    }
    Matcher m = SHORT.matcher(text);
    if (!m.matches()) {
      throw new ValidationException(
          field, "duration", field + " must be a duration such as 90s, 15m, 1h or 7d");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  /** Formats a duration the way the API writes it: the largest whole unit. */
  public static String format(Duration d) {
    long s = d.toSeconds();
    if (s != 0 && s % 86_400 == 0) {
      return s / 86_400 + "d";
    } else if (s != 0 && s % 3600 == 0) {
      return s / 3600 + "h";
    } else if (s != 0 && s % 60 == 0) {
      return s / 60 + "m";
    }
    return s + "s";
  }
}
