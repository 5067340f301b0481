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
    description = "Decide a request without making it.")
final class PolicyTestCommand implements Callable<Integer> {
  @Mixin ClientOptions opts;
  @Spec CommandSpec spec;

  @Option(names = "--principal", required = true)
  String principal;

  @Option(
      names = "--operation",
      required = true,
      description = "issue, derive, resolve, proxy, revoke, delegate")
  String operation;

  @Option(names = "--secret", required = true)
  String secret;

  @Option(names = "--ttl")
  String ttl;

  @Option(names = "--amount")
  String amount;

  @Option(names = "--subject")
  String subject;

  @Override
  public Integer call() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("principal", principal);
    body.put("operation", operation);
    body.put("secret_id", secret);
    if (ttl != null) {
      body.put("ttl", ttl);
    }
    if (amount != null) {
      body.put("amount", amount);
    }
    if (subject != null) {
      body.put("subject", subject);
    }
    opts.printObject(
        spec.commandLine().getOut(), opts.client().call("POST", "/policies/test", body));
    return 0;
  }
}
