package io.secretsapi.cli;

import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code secretsapi incident close INCIDENT --note TEXT}: POST /incidents/{id}/close. */
@Command(
    name = "close",
    mixinStandardHelpOptions = true,
    description = "Close an open incident with a note: the secret's block lifts on every node.")
final class IncidentCloseCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "INCIDENT", description = "Incident id (IN-...)")
  String incident;

  @Option(names = "--note", required = true, description = "Why it is closed (free text)")
  String note;

  @Override
  public Integer call() {
    return show("POST", "/incidents/" + seg(incident) + "/close", Map.of("note", note));
  }
}
