package io.secretsapi.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code secretsapi apikey rotate ID}: POST /api-keys/{id}/rotate; prints the new key once. */
@Command(
    name = "rotate",
    mixinStandardHelpOptions = true,
    description = "Replace a key; the old one is revoked at once, or after --grace.")
final class ApiKeyRotateCommand implements Callable<Integer> {
  @Mixin ClientOptions opts;
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "KEY",
      description = "API key name or id (sk_...); a whole key is cut to its id, never sent")
  String id;

  @Option(names = "--grace", description = "Keep the old key valid this long, such as 10m")
  String grace;

  @Option(
      names = "--key-out",
      paramLabel = "FILE",
      description = "Write the new key to FILE (owner-only) instead of printing it")
  String keyOut;

  @Override
  public Integer call() {
    opts.printObject(
        spec.commandLine().getOut(),
        SecretValues.writeOut(
            opts.client().rotateApiKey(opts.id(Names.Kind.API_KEY, id), Optional.ofNullable(grace)),
            "key",
            keyOut));
    return 0;
  }
}
