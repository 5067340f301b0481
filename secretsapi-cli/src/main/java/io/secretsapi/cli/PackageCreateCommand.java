package io.secretsapi.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code secretsapi package create NAME --item SECRET:SCOPE ...}: POST /packages. */
@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    description = "Create a service package. Needs policies:write.")
final class PackageCreateCommand extends ApiCommand {
  @Mixin PackageBody pkg;

  @Override
  public Integer call() {
    return show("POST", "/packages", pkg.body());
  }
}
