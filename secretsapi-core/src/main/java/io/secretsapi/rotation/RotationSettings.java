package io.secretsapi.rotation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How one secret is rotated: its rotator and that rotator's settings, the grace window of the old
 * value, and the schedule. Holds no value.
 *
 * @param rotator {@code generated}, {@code webhook} or {@code postgresql}
 * @param every the period of scheduled rotations; zero when only on demand or by {@code cron}
 * @param cron the schedule as a cron expression (five fields, UTC), instead of {@code every}
 * @param nextDueAt when the schedule next queues a rotation
 * @param length the length of a generated value
 * @param alphabet the characters of a generated value
 * @param webhookUrl where the {@code webhook} rotator asks the owner for a new credential
 * @param timeout how long the rotator waits for each answer (webhook, PostgreSQL)
 * @param postgresUrl the database whose roles the {@code postgresql} rotator alternates ({@code
 *     postgresql://host:port/db}, no credentials)
 * @param postgresRoles the two roles it alternates; the secret's value names one of them
 * @param postgresAdminSecret the vault secret holding the credentials that may alter both roles
 */
public record RotationSettings(
    String secretId,
    String rotator,
    Duration grace,
    Duration every,
    Optional<String> cron,
    Optional<Instant> nextDueAt,
    int length,
    String alphabet,
    Optional<String> webhookUrl,
    Duration timeout,
    Optional<String> postgresUrl,
    List<String> postgresRoles,
    Optional<String> postgresAdminSecret,
    String requestedBy,
    Instant updatedAt) {
  public RotationSettings {
    postgresRoles = List.copyOf(postgresRoles);
  }

  /**
   * What a caller sends to set a secret's rotation settings; absent fields take their defaults.
   * Durations are written as {@code 90s}, {@code 15m}, {@code 1h}, {@code 30d}.
   */
  public record Input(
      String rotator,
      String grace,
      String every,
      Integer length,
      String alphabet,
      String webhookUrl,
      String timeout,
      String postgresUrl,
      List<String> postgresRoles,
      String postgresAdminSecret,
      String cron) {
    /** The settings without a cron schedule. */
    public Input(
        String rotator,
        String grace,
        String every,
        Integer length,
        String alphabet,
        String webhookUrl,
        String timeout,
        String postgresUrl,
        List<String> postgresRoles,
        String postgresAdminSecret) {
      this(
          rotator,
          grace,
          every,
          length,
          alphabet,
          webhookUrl,
          timeout,
          postgresUrl,
          postgresRoles,
          postgresAdminSecret,
          null);
    }
  }
}
