package io.secretsapi.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code secretsapi secret delete ID}: DELETE /secrets/{id}. */
@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    description = "Seal every version: nothing can read it again.")
final class SecretDeleteCommand implements Callable<Integer> {
  @Mixin ClientOptions opts;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SECRET", description = "Secret name or id (sec_...)")
  String id;

  @Override
  public Integer call() {
    opts.printObject(
        spec.commandLine().getOut(), opts.client().deleteSecret(opts.id(Names.Kind.SECRET, id)));
    return 0;
  }
}
