package io.secretsapi.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code secretsapi validation show SECRET}: GET /secrets/{id}/validation. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description = "The last validation of a secret and its schedule.")
final class ValidationShowCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "SECRET", description = "Secret name or id (sec_...)")
  String secret;

  @Override
  public Integer call() {
    return show("GET", "/secrets/" + seg(id(Names.Kind.SECRET, secret)) + "/validation", null);
  }
}
