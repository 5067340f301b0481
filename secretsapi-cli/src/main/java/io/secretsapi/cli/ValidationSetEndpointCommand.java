package io.secretsapi.cli;

import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code secretsapi validation set-endpoint SECRET URL}: PUT /secrets/{id}/validation-endpoint. */
@Command(
    name = "set-endpoint",
    mixinStandardHelpOptions = true,
    description = "Send this secret's probes to URL (for providers without a preset).")
final class ValidationSetEndpointCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "SECRET", description = "Secret name or id (sec_...)")
  String secret;

  @Parameters(index = "1", paramLabel = "URL", description = "An absolute https URL")
  String url;

  @Override
  public Integer call() {
    return show(
        "PUT",
        "/secrets/" + seg(id(Names.Kind.SECRET, secret)) + "/validation-endpoint",
        Map.of("url", url));
  }
}
