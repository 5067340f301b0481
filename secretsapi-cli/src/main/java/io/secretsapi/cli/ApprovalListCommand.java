package io.secretsapi.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code secretsapi approval list}: GET /approvals. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description =
        "Approvals the caller may see (its own requests, those it may decide), pending first.")
final class ApprovalListCommand extends ApiCommand {
  @Option(
      names = "--state",
      description = "Only approvals in this state: pending, approved, denied, expired or issued")
  String state;

  @Override
  public Integer call() {
    return list(
        "/approvals" + (state == null ? "" : "?state=" + seg(state)), ApprovalCommand.COLUMNS);
  }
}
