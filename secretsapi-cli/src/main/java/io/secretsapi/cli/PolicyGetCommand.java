package io.secretsapi.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code secretsapi policy get ID}: GET /policies/{id}. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = "The current version of a policy set and its document.")
final class PolicyGetCommand extends ApiCommand {
  @Parameters(
      index = "0",
      paramLabel = "POLICY",
      description = "Policy set id, the name it was applied under, such as KEY-SCOPE-17")
  String policy;

  @Override
  public Integer call() {
    return show("GET", "/policies/" + seg(policy), null);
  }
}
