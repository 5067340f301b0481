package io.secretsapi.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code secretsapi validation clear-endpoint SECRET}: DELETE /secrets/{id}/validation-endpoint.
 */
@Command(
    name = "clear-endpoint",
    mixinStandardHelpOptions = true,
    description = "Probe the provider's preset again.")
final class ValidationClearEndpointCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "SECRET", description = "Secret name or id (sec_...)")
  String secret;

  @Override
  public Integer call() {
    return show(
        "DELETE", "/secrets/" + seg(id(Names.Kind.SECRET, secret)) + "/validation-endpoint", null);
  }
}
