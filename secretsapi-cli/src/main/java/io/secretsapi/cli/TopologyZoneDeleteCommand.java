package io.secretsapi.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code secretsapi topology zone delete NAME}: DELETE /topology/zones/{name}. */
@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    description = "Delete a trust zone; its resources become unassigned. Needs policies:write.")
final class TopologyZoneDeleteCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "Zone name, such as zone-04")
  String name;

  @Override
  public Integer call() {
    client().call("DELETE", "/topology/zones/" + seg(name), null);
    out().println("deleted trust zone " + name);
    out().flush();
    return 0;
  }
}
