package io.secretsapi.cli;

import picocli.CommandLine.Command;

/** {@code secretsapi audit checkpoint ...}: signed heads of the trail. */
@Command(
    name = "checkpoint",
    mixinStandardHelpOptions = true,
    description = "List the latest signed checkpoints, or sign one of the trail as it is now.",
    subcommands = {AuditCheckpointListCommand.class, AuditCheckpointCreateCommand.class})
final class AuditCheckpointCommand {}
