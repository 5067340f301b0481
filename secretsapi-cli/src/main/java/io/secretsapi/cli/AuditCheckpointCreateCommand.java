package io.secretsapi.cli;

import picocli.CommandLine.Command;

/** {@code secretsapi audit checkpoint create}: POST /audit/checkpoints. */
@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    description = "Sign a checkpoint of the trail as it is now; keep it to detect forks later.")
final class AuditCheckpointCreateCommand extends ApiCommand {
  @Override
  public Integer call() {
    return show("POST", "/audit/checkpoints", null);
  }
}
