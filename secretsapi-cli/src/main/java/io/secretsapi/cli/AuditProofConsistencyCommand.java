package io.secretsapi.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code secretsapi audit proof consistency}: GET /audit/proof/consistency. */
@Command(
    name = "consistency",
    mixinStandardHelpOptions = true,
    description = "Proof that the tree of --to records extends the tree of --from records.")
final class AuditProofConsistencyCommand extends ApiCommand {
  @Option(names = "--from", required = true, description = "The earlier tree size")
  long from;

  @Option(names = "--to", required = true, description = "The later tree size")
  long to;

  @Override
  public Integer call() {
    return show("GET", "/audit/proof/consistency?from=" + from + "&to=" + to, null);
  }
}
