package io.secretsapi.cli;

import picocli.CommandLine.Command;

/** {@code secretsapi approval ...}: human approval of the grants a policy rule holds back. */
@Command(
    name = "approval",
    mixinStandardHelpOptions = true,
    description =
        "List and show the issue requests that wait for a person's approval; approve or deny"
            + " them with a reason.",
    subcommands = {
      ApprovalListCommand.class,
      ApprovalGetCommand.class,
      ApprovalApproveCommand.class,
      ApprovalDenyCommand.class
    })
final class ApprovalCommand {
  static final ClientOptions.Column[] COLUMNS = {
    ApiCommand.col("ID", "id"),
    ApiCommand.col("STATE", "state"),
    ApiCommand.col("REQUESTER", "requester"),
    ApiCommand.col("SECRET", "secret_id"),
    ApiCommand.col("SCOPE", "scope"),
    ApiCommand.col("EXPIRES", "expires_at")
  };
}
