package io.secretsapi.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code secretsapi policy versions ID}: GET /policies/{id}/versions. */
@Command(
    name = "versions",
    mixinStandardHelpOptions = true,
    description = "Every version of a policy set, newest first.")
final class PolicyVersionsCommand extends ApiCommand {
  @Parameters(
      index = "0",
      paramLabel = "POLICY",
      description = "Policy set id, the name it was applied under, such as KEY-SCOPE-17")
  String policy;

  @Override
  public Integer call() {
    return list(
        "/policies/" + seg(policy) + "/versions",
        col("VERSION", "version"),
        col("WRITTEN", "created_at"),
        col("BY", "created_by"));
  }
}
