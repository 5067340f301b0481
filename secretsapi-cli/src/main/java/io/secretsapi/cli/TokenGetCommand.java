package io.secretsapi.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code secretsapi token get ID}: GET /tokens/{id}. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = "One grant: limits, uses, amount used, status, policy and audit refs.")
final class TokenGetCommand extends ApiCommand {
  @Parameters(
      index = "0",
      paramLabel = "TOKEN",
      description = "Token id (tok_...), or a file holding the token")
  String id;

  @Override
  public Integer call() {
    return show("GET", "/tokens/" + seg(Names.tokenId(id)), null);
  }
}
