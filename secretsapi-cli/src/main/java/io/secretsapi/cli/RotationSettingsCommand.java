package io.secretsapi.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code secretsapi rotation settings SECRET}: GET /secrets/{id}/rotation. */
@Command(
    name = "settings",
    mixinStandardHelpOptions = true,
    description = "How a secret is rotated: rotator, grace, schedule and the rotator's settings.")
final class RotationSettingsCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "SECRET", description = "Secret name or id (sec_...)")
  String secret;

  @Override
  public Integer call() {
    return show("GET", "/secrets/" + seg(id(Names.Kind.SECRET, secret)) + "/rotation", null);
  }
}
