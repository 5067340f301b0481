package io.secretsapi.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code secretsapi approval get APPROVAL [--wait 30s]}: GET /approvals/{id}. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = "Show one approval; with --wait, answer when its state changes or the wait ends.")
final class ApprovalGetCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "APPROVAL", description = "Approval id (apr_...)")
  String approval;

  @Option(names = "--wait", description = "Wait up to this long for a decision (at most 60s)")
  String wait;

  @Override
  public Integer call() {
    return show(
        "GET", "/approvals/" + seg(approval) + (wait == null ? "" : "?wait=" + seg(wait)), null);
  }
}
