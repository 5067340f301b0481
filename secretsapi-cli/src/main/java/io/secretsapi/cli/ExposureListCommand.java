package io.secretsapi.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code secretsapi exposure list}: GET /exposure. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "Secrets (or live tokens) ranked by exposure score, with drift over the window.")
final class ExposureListCommand extends ApiCommand {
  @Option(names = "--kind", defaultValue = "secret", description = "secret or token")
  String kind;

  @Option(names = "--limit", defaultValue = "50", description = "At most this many")
  int limit;

  @Override
  public Integer call() {
    return list(
        "/exposure?kind=" + seg(kind) + "&limit=" + limit,
        col("ID", "id"),
        col("SECRET", "secret_id"),
        col("SCORE", "score"),
        col("DELTA", "delta"),
        col("THRESHOLD", "threshold"),
        col("SOURCE", "threshold_source"),
        col("NEW CALLERS", "drift.callers"),
        col("NEW HOSTS", "drift.hosts"),
        col("NEW NETWORKS", "drift.networks"));
  }
}
