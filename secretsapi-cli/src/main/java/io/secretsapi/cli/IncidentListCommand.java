package io.secretsapi.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code secretsapi incident list}: GET /incidents. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "Incidents the caller may see, newest first, with their containment.")
final class IncidentListCommand extends ApiCommand {
  @Option(names = "--state", description = "Only incidents in this state: open or closed")
  String state;

  @Override
  public Integer call() {
    return list(
        "/incidents" + (state == null ? "" : "?state=" + seg(state)), IncidentCommand.COLUMNS);
  }
}
