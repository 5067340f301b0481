package io.secretsapi.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code secretsapi rotation get ROT-ID}: GET /rotations/{id}. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = "One rotation and where it stands.")
final class RotationGetCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "ROTATION", description = "Rotation id (ROT-...)")
  String rotation;

  @Override
  public Integer call() {
    return show("GET", "/rotations/" + seg(rotation), null);
  }
}
