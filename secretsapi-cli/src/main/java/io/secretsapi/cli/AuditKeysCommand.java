package io.secretsapi.cli;

import picocli.CommandLine.Command;

/** {@code secretsapi audit keys}: GET /audit/jwks.json. */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "The public keys that sign audit checkpoints (JWKS; -o json to keep for verify).")
final class AuditKeysCommand extends ApiCommand {
  @Override
  public Integer call() {
    return TokenKeyListCommand.printKeys(
        opts, out(), opts.anonymous().call("GET", "/audit/jwks.json", null));
  }
}
