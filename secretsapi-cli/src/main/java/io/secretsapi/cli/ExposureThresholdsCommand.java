package io.secretsapi.cli;

import picocli.CommandLine.Command;

/** {@code secretsapi exposure thresholds}: GET /exposure/thresholds. */
@Command(
    name = "thresholds",
    mixinStandardHelpOptions = true,
    description = "The exposure thresholds set per secret, policy or resource class.")
final class ExposureThresholdsCommand extends ApiCommand {
  @Override
  public Integer call() {
    return list(
        "/exposure/thresholds",
        col("KIND", "target_kind"),
        col("TARGET", "target"),
        col("THRESHOLD", "threshold"),
        col("ACTION", "action"));
  }
}
