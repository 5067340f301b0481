package io.secretsapi.cli;

import picocli.CommandLine.Command;

/** {@code secretsapi engine list}: GET /engines. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "The engines of the caller's account.")
final class EngineListCommand extends ApiCommand {
  @Override
  public Integer call() {
    return list(
        "/engines",
        col("ID", "id"),
        col("NAME", "name"),
        col("PLAN", "plan"),
        col("PLACEMENT", "placement"),
        col("USED", "slots_used"),
        col("SLOTS", "slots_total"),
        col("FRONTEND", "frontend_state"),
        col("ADMIN", "admin_state"),
        col("RELEASE", "release"));
  }
}
