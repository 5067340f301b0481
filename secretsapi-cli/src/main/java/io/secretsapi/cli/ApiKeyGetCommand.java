package io.secretsapi.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code secretsapi apikey get KEY}: GET /api-keys/{id}. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = "Show one API key: status, scopes, last use, use count (never the key).")
final class ApiKeyGetCommand extends ApiCommand {
  @Parameters(
      index = "0",
      paramLabel = "KEY",
      description = "API key name or id (sk_...); a whole key is cut to its id, never sent")
  String key;

  @Override
  public Integer call() {
    return show("GET", "/api-keys/" + seg(id(Names.Kind.API_KEY, key)), null);
  }
}
