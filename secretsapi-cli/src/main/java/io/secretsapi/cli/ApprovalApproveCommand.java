package io.secretsapi.cli;

import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code secretsapi approval approve APPROVAL --reason TEXT}: POST /approvals/{id}/approve. */
@Command(
    name = "approve",
    mixinStandardHelpOptions = true,
    description =
        "Approve a pending request (an approver the rule names, never the requester): the"
            + " requester may then issue the token, once.")
final class ApprovalApproveCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "APPROVAL", description = "Approval id (apr_...)")
  String approval;

  @Option(names = "--reason", required = true, description = "Why (free text, recorded)")
  String reason;

  @Override
  public Integer call() {
    return show("POST", "/approvals/" + seg(approval) + "/approve", Map.of("reason", reason));
  }
}
