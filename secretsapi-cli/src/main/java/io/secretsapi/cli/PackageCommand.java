package io.secretsapi.cli;

import picocli.CommandLine.Command;

/** {@code secretsapi package ...}: service packages (docs/packages.md). */
@Command(
    name = "package",
    mixinStandardHelpOptions = true,
    description =
        "Service packages: secrets bundled with the scope each is used under, a tier, a review"
            + " lane and a readiness posture.",
    subcommands = {
      PackageCreateCommand.class,
      PackageListCommand.class,
      PackageGetCommand.class,
      PackageUpdateCommand.class,
      PackageDeleteCommand.class
    })
final class PackageCommand {}
