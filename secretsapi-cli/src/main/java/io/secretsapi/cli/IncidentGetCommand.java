package io.secretsapi.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code secretsapi incident get INCIDENT}: GET /incidents/{id}. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = "Show one incident: its timeline, progress and affected services.")
final class IncidentGetCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "INCIDENT", description = "Incident id (IN-...)")
  String incident;

  @Override
  public Integer call() {
    return show("GET", "/incidents/" + seg(incident), null);
  }
}
