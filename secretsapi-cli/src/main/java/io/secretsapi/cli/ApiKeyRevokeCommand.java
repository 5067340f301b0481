package io.secretsapi.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code secretsapi apikey revoke ID}: POST /api-keys/{id}/revoke. */
@Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key at once.")
final class ApiKeyRevokeCommand implements Callable<Integer> {
  @Mixin ClientOptions opts;
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "KEY",
      description = "API key name or id (sk_...); a whole key is cut to its id, never sent")
  String id;

  @Override
  public Integer call() {
    opts.printObject(
        spec.commandLine().getOut(), opts.client().revokeApiKey(opts.id(Names.Kind.API_KEY, id)));
    return 0;
  }
}
