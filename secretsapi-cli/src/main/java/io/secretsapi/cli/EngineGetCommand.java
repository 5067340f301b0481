package io.secretsapi.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code secretsapi engine get ENGINE}: GET /engines/{id}. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = "Show one engine and the packages bound to it.")
final class EngineGetCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "ENGINE", description = "Engine id (eng_...)")
  String id;

  @Override
  public Integer call() {
    return show("GET", "/engines/" + seg(id), null);
  }
}
