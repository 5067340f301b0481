package io.secretsapi.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code secretsapi token issue}: POST /tokens/issue. */
@Command(
    name = "issue",
    mixinStandardHelpOptions = true,
    description = "Issue a scoped token for one intent.")
final class TokenIssueCommand implements Callable<Integer> {
  @Mixin ClientOptions opts;
  @Spec CommandSpec spec;

  @Option(names = "--secret", required = true, description = "Secret name or id (sec_...)")
  String secret;

  @Option(names = "--scope", required = true, description = "Scope name, such as model-access")
  String scope;

  @Option(
      names = "--ttl",
      defaultValue = "15m",
      description = "Lifetime (default ${DEFAULT-VALUE})")
  String ttl;

  @Option(
      names = "--environment",
      defaultValue = "production",
      description = "The secret's environment (default ${DEFAULT-VALUE})")
  String environment;

  @Option(names = "--requested-by", description = "Principal the token is for (needs delegation)")
  String requestedBy;

  @Option(names = "--attestation-file", description = "A workload identity JWT to present")
  String attestationFile;

  @Option(
      names = "--approval-id",
      description =
          "Ask again after a person approved: the approval id (apr_...) from the first answer")
  String approvalId;

  @Option(
      names = "--token-out",
      paramLabel = "FILE",
      description = "Write the token to FILE (owner-only) instead of printing it")
  String tokenOut;

  @Override
  public Integer call() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("secret_id", opts.id(Names.Kind.SECRET, secret));
    body.put("scope", scope);
    body.put("ttl", ttl);
    body.put("environment", environment);
    if (requestedBy != null) {
      body.put("requested_by", requestedBy);
    }
    if (approvalId != null) {
      body.put("approval_id", approvalId);
    }
    SecretValues.read(null, attestationFile).ifPresent(a -> body.put("attestation", a.strip()));
    tools.jackson.databind.JsonNode answer = opts.client().call("POST", "/tokens/issue", body);
    opts.printObject(
        spec.commandLine().getOut(),
        answer.has("token") ? SecretValues.writeOut(answer, "token", tokenOut) : answer);
    return 0;
  }
}
