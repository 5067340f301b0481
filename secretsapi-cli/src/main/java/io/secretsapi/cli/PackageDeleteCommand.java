package io.secretsapi.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code secretsapi package delete PACKAGE}: DELETE /packages/{id}. */
@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    description = "Delete a service package that no engine binds. Needs policies:write.")
final class PackageDeleteCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "PACKAGE", description = "Package id (pkg_...)")
  String id;

  @Override
  public Integer call() {
    client().call("DELETE", "/packages/" + seg(id), null);
    out().println("deleted package " + id);
    out().flush();
    return 0;
  }
}
