package io.secretsapi.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code secretsapi audit proof inclusion}: GET /audit/proof/inclusion. */
@Command(
    name = "inclusion",
    mixinStandardHelpOptions = true,
    description = "Proof that the record at --offset is in the tree of --tree-size records.")
final class AuditProofInclusionCommand extends ApiCommand {
  @Option(names = "--offset", required = true, description = "The record's audit offset")
  long offset;

  @Option(names = "--tree-size", required = true, description = "The size of a signed checkpoint")
  long treeSize;

  @Override
  public Integer call() {
    return show("GET", "/audit/proof/inclusion?offset=" + offset + "&tree_size=" + treeSize, null);
  }
}
