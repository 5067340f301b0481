package io.secretsapi.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code secretsapi incident open --secret SECRET|--grant TOKEN_ID --reason TEXT}: POST /incidents;
 * prints the incident with its timeline, and the replacement tokens once.
 */
@Command(
    name = "open",
    mixinStandardHelpOptions = true,
    description =
        "Contain a compromised secret: revoke its grants, block it on every node, cut its"
            + " sessions, escalate policy, replay the audit, replace it; the replacement tokens"
            + " are printed once.")
final class IncidentOpenCommand extends ApiCommand {
  static final class Target {
    @Option(names = "--secret", description = "The compromised secret: name or id (sec_...)")
    String secret;

    @Option(names = "--grant", description = "A grant (tok_...) whose secret is compromised")
    String token;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Target target;

  @Option(names = "--reason", required = true, description = "What happened (free text)")
  String reason;

  @Override
  public Integer call() {
    Map<String, Object> body = new LinkedHashMap<>();
    if (target.secret != null) {
      body.put("secret_id", id(Names.Kind.SECRET, target.secret));
    } else {
      body.put("token_id", target.token);
    }
    body.put("reason", reason);
    return show("POST", "/incidents", body);
  }
}
