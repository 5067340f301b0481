package io.secretsapi.cli;

import picocli.CommandLine.Command;

/** {@code secretsapi rotation ...}: the rotation queue and per-secret rotation settings. */
@Command(
    name = "rotation",
    mixinStandardHelpOptions = true,
    description =
        "The ROT- rotation queue and how each secret is rotated (queue one with 'secret rotate').",
    subcommands = {
      RotationListCommand.class,
      RotationGetCommand.class,
      RotationSettingsCommand.class,
      RotationConfigureCommand.class
    })
final class RotationCommand {
  static final ClientOptions.Column[] COLUMNS = {
    ApiCommand.col("ID", "id"),
    ApiCommand.col("SECRET", "secret_id"),
    ApiCommand.col("TRIGGER", "trigger"),
    ApiCommand.col("ROTATOR", "rotator"),
    ApiCommand.col("STATE", "state"),
    ApiCommand.col("VERSION", "to_version"),
    ApiCommand.col("GRACE UNTIL", "grace_until"),
    ApiCommand.col("FAILURE", "failure"),
    ApiCommand.col("CREATED", "created_at")
  };
}
