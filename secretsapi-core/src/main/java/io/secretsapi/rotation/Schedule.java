package io.secretsapi.rotation;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.secretsapi.Durations;
import io.secretsapi.ValidationException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * When a secret's scheduled rotations are due: a period ({@code every}) or a cron expression of
 * five fields (minute, hour, day of month, month, day of week), read in UTC. Parsed by cron-utils
 * with the Unix definition.
 */
final class Schedule {
  /** The shortest gap a schedule may leave between two rotations. */
  static final Duration MIN_GAP = Duration.ofMinutes(5);

  private static final CronParser PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  private Schedule() {}

  /**
   * The cron expression {@code text}, checked: five fields, and no two rotations closer than {@link
   * #MIN_GAP}. Names the field {@code cron} when it is not.
   */
  static Optional<String> cron(String text, Instant now) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    String c = text.strip().replaceAll("\\s+", " ");
    Cron cron;
    try {
      cron = PARSER.parse(c);
      cron.validate();
    } catch (IllegalArgumentException e) {
      throw new ValidationException(
          "cron",
          "format",
          "cron must be five fields (minute hour day-of-month month day-of-week, UTC), such as"
              + " \"0 3 * * 1\"");
    }
    ExecutionTime times = ExecutionTime.forCron(cron);
    ZonedDateTime at = ZonedDateTime.ofInstant(now, ZoneOffset.UTC);
    for (int i = 0; i < 16; i++) {
      Optional<ZonedDateTime> next = times.nextExecution(at);
      if (next.isEmpty()) {
        if (i == 0) {
          throw new ValidationException("cron", "range", "cron never fires");
        }
        break;
      }
      if (i > 0 && Duration.between(at, next.get()).compareTo(MIN_GAP) < 0) {
        throw new ValidationException(
            "cron",
            "range",
            "cron must not fire more often than every " + Durations.format(MIN_GAP));
      }
      at = next.get();
    }
    return Optional.of(c);
  }

  /** When the schedule is next due after {@code after}; empty when it rotates on demand only. */
  static Optional<Instant> next(Duration every, Optional<String> cron, Instant after) {
    if (cron.isPresent()) {
      return ExecutionTime.forCron(PARSER.parse(cron.get()))
          .nextExecution(ZonedDateTime.ofInstant(after, ZoneOffset.UTC))
          .map(ZonedDateTime::toInstant);
    }
    return every.isZero() ? Optional.empty() : Optional.of(after.plus(every));
  }

  /** The schedule in words: {@code every 30d}, {@code cron 0 3 * * 1 (UTC)}, {@code on demand}. */
  static String describe(Duration every, Optional<String> cron) {
    if (cron.isPresent()) {
      return "cron " + cron.get() + " (UTC)";
    }
    return every.isZero() ? "on demand" : "every " + Durations.format(every);
  }
}
