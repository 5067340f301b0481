package io.secretsapi.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code secretsapi package get PACKAGE}: GET /packages/{id}. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = "Show one service package, its items and its posture with the reasons.")
final class PackageGetCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "PACKAGE", description = "Package id (pkg_...)")
  String id;

  @Override
  public Integer call() {
    return show("GET", "/packages/" + seg(id), null);
  }
}
