package io.secretsapi.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code secretsapi apikey create}: POST /api-keys; prints the key once. */
@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    description = "Create an API key; the key is printed once.")
final class ApiKeyCreateCommand implements Callable<Integer> {
  @Mixin ClientOptions opts;
  @Spec CommandSpec spec;

  @Option(names = "--name", required = true, description = "A name for the key, such as runtime")
  String name;

  @Option(
      names = "--scope",
      required = true,
      split = ",",
      description = "Scopes, such as secrets:read,tokens:issue")
  List<String> scopes;

  @Option(
      names = "--service-account",
      description = "Service account name or id (default: the caller's)")
  String account;

  @Option(names = "--expires-in", description = "Lifetime, such as 90d")
  String expiresIn;

  @Option(
      names = "--key-out",
      paramLabel = "FILE",
      description = "Write the new key to FILE (owner-only) instead of printing it")
  String keyOut;

  @Override
  public Integer call() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("scopes", scopes);
    if (account != null) {
      body.put("service_account_id", opts.id(Names.Kind.SERVICE_ACCOUNT, account));
    }
    if (expiresIn != null) {
      body.put("expires_in", expiresIn);
    }
    opts.printObject(
        spec.commandLine().getOut(),
        SecretValues.writeOut(opts.client().createApiKey(body), "key", keyOut));
    return 0;
  }
}
