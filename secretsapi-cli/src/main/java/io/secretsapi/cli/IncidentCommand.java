package io.secretsapi.cli;

import picocli.CommandLine.Command;

/** {@code secretsapi incident ...}: containment of a compromised secret in one call. */
@Command(
    name = "incident",
    mixinStandardHelpOptions = true,
    description =
        "Open an incident on a compromised secret (runs the containment playbook); list, show"
            + " and close incidents.",
    subcommands = {
      IncidentOpenCommand.class,
      IncidentListCommand.class,
      IncidentGetCommand.class,
      IncidentCloseCommand.class
    })
final class IncidentCommand {
  static final ClientOptions.Column[] COLUMNS = {
    ApiCommand.col("ID", "id"),
    ApiCommand.col("SECRET", "secret_id"),
    ApiCommand.col("STATE", "state"),
    ApiCommand.col("CONTAINMENT", "containment"),
    ApiCommand.col("OPENED", "opened_at"),
    ApiCommand.col("REASON", "reason")
  };
}
