package io.secretsapi.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code secretsapi scope list SECRET}: GET /secrets/{id}/scopes. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List a secret's scopes.")
final class ScopeListCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "SECRET", description = "Secret name or id (sec_...)")
  String secret;

  @Override
  public Integer call() {
    return list(
        "/secrets/" + seg(id(Names.Kind.SECRET, secret)) + "/scopes",
        col("NAME", "name"),
        col("OPERATIONS", "operations"),
        col("HOSTS", "upstream.hosts"),
        col("METHODS", "upstream.methods"),
        col("PATHS", "upstream.path_prefixes"),
        col("MAX TTL", "max_ttl"),
        col("MAX USES", "max_uses"),
        col("MAX AMOUNT", "max_amount"));
  }
}
