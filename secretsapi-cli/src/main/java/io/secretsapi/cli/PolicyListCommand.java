package io.secretsapi.cli;

import picocli.CommandLine.Command;

/** {@code secretsapi policy list}: GET /policies. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "Every policy set at its current version.")
final class PolicyListCommand extends ApiCommand {
  @Override
  public Integer call() {
    return list(
        "/policies",
        col("ID", "id"),
        col("VERSION", "version"),
        col("WRITTEN", "created_at"),
        col("BY", "created_by"));
  }
}
