package io.secretsapi.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code secretsapi policy test}: POST /policies/test, a dry run. */
@Command(
    name = "test",
    mixinStandardHelpOptions = true,
    description = "Decide a request without making it; exits 0 when allowed, 1 when denied.")
final class PolicyTestCommand implements Callable<Integer> {
  @Mixin ClientOptions opts;
  @Spec CommandSpec spec;

  @Option(
      names = "--principal",
      required = true,
      description = "Who asks: a service account name, such as agent-runtime-04")
  String principal;

  @Option(
      names = "--operation",
      required = true,
      description = "issue, derive, resolve, proxy, revoke, delegate")
  String operation;

  @Option(names = "--secret", required = true, description = "Secret name or id (sec_...)")
  String secret;

  @Option(names = "--ttl", description = "The lifetime asked for, such as 15m")
  String ttl;

  @Option(names = "--amount", description = "The amount asked for, a decimal number")
  String amount;

  @Option(names = "--subject", description = "The principal the token would be for (delegation)")
  String subject;

  @Option(
      names = "--scope",
      description = "The scope asked for, such as model-access (request.scope in conditions)")
  String scope;

  @Override
  public Integer call() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("principal", principal);
    body.put("operation", operation);
    body.put("secret_id", opts.id(Names.Kind.SECRET, secret));
    if (ttl != null) {
      body.put("ttl", ttl);
    }
    if (amount != null) {
      body.put("amount", amount);
    }
    if (subject != null) {
      body.put("subject", subject);
    }
    if (scope != null) {
      body.put("scope", scope);
    }
    var decision = opts.client().call("POST", "/policies/test", body);
    opts.printObject(spec.commandLine().getOut(), decision);
    return "allow".equals(decision.path("decision").asString("")) ? 0 : CliException.REFUSED;
  }
}
