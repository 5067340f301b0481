package io.secretsapi.cli;

import picocli.CommandLine.Command;

/** {@code secretsapi exposure ...}: exposure scores, their history and replay, and thresholds. */
@Command(
    name = "exposure",
    mixinStandardHelpOptions = true,
    description = "Exposure scores of secrets and tokens, explained; history, replay, thresholds.",
    subcommands = {
      ExposureListCommand.class,
      ExposureGetCommand.class,
      ExposureThresholdsCommand.class,
      ExposureSetThresholdCommand.class
    })
final class ExposureCommand {}
