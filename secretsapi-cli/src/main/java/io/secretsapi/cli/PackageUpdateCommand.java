package io.secretsapi.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code secretsapi package update --id PACKAGE NAME --item SECRET:SCOPE ...}: PUT /packages/{id}.
 */
@Command(
    name = "update",
    mixinStandardHelpOptions = true,
    description =
        "Replace a service package; the engines it is bound to follow, and lose their live grants"
            + " of items it no longer bundles. Needs policies:write.")
final class PackageUpdateCommand extends ApiCommand {
  @Option(
      names = "--id",
      required = true,
      paramLabel = "PACKAGE",
      description = "Package id (pkg_...)")
  String id;

  @Mixin PackageBody pkg;

  @Override
  public Integer call() {
    return show("PUT", "/packages/" + seg(id), pkg.body());
  }
}
