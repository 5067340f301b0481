package io.secretsapi.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code secretsapi injection clear SECRET}: DELETE /secrets/{id}/injection. */
@Command(
    name = "clear",
    mixinStandardHelpOptions = true,
    description = "Inject the value as the provider's preset says again.")
final class InjectionClearCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "SECRET", description = "Secret name or id (sec_...)")
  String secret;

  @Override
  public Integer call() {
    return show("DELETE", "/secrets/" + seg(id(Names.Kind.SECRET, secret)) + "/injection", null);
  }
}
