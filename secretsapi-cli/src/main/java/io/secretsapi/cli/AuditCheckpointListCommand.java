package io.secretsapi.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code secretsapi audit checkpoint list}: GET /audit/checkpoints. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "The latest signed checkpoints: tree size, root hash, time, key.")
final class AuditCheckpointListCommand extends ApiCommand {
  @Option(
      names = "--limit",
      defaultValue = "10",
      description = "How many (default ${DEFAULT-VALUE})")
  int limit;

  @Override
  public Integer call() {
    return list(
        "/audit/checkpoints?limit=" + limit,
        col("TREE SIZE", "tree_size"),
        col("ROOT HASH", "root_hash"),
        col("TIME", "time"),
        col("KID", "kid"));
  }
}
