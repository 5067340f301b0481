package io.secretsapi.cli;

import picocli.CommandLine.Command;

/** {@code secretsapi topology zone ...}: the trust zones an operator assigns resources to. */
@Command(
    name = "zone",
    mixinStandardHelpOptions = true,
    description = "Set or delete a trust zone.",
    subcommands = {TopologyZoneSetCommand.class, TopologyZoneDeleteCommand.class})
final class TopologyZoneCommand {}
