package io.secretsapi.cli;

import picocli.CommandLine.Command;
import tools.jackson.databind.JsonNode;

/** {@code secretsapi token-key list}: GET /.well-known/jwks.json. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "The public keys that verify tokens (JWKS; needs no key).")
final class TokenKeyListCommand extends ApiCommand {
  @Override
  public Integer call() {
    return printKeys(opts, out(), opts.anonymous().call("GET", "/.well-known/jwks.json", null));
  }

  /** A JSON Web Key Set as JSON, or one key a row. */
  static int printKeys(ClientOptions opts, java.io.PrintWriter out, JsonNode jwks) {
    opts.print(
        out,
        jwks,
        java.util.List.of(
            col("KID", "kid"),
            col("TYPE", "kty"),
            col("CURVE", "crv"),
            col("ALG", "alg"),
            col("USE", "use")),
        a -> a.get("keys"),
        null);
    return 0;
  }
}
