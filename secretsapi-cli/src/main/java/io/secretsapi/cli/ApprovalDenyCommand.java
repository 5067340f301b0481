package io.secretsapi.cli;

import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code secretsapi approval deny APPROVAL --reason TEXT}: POST /approvals/{id}/deny. */
@Command(
    name = "deny",
    mixinStandardHelpOptions = true,
    description = "Deny a pending request (an approver the rule names): it issues no token.")
final class ApprovalDenyCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "APPROVAL", description = "Approval id (apr_...)")
  String approval;

  @Option(names = "--reason", required = true, description = "Why (free text, recorded)")
  String reason;

  @Override
  public Integer call() {
    return show("POST", "/approvals/" + seg(approval) + "/deny", Map.of("reason", reason));
  }
}
