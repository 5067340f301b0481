package io.secretsapi.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code secretsapi exposure get SECRET}: GET /secrets/{id}/exposure. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = "A secret's exposure score explained, its history and its exposure replay.")
final class ExposureGetCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "SECRET", description = "Secret name or id (sec_...)")
  String secret;

  @Option(names = "--limit", defaultValue = "50", description = "At most this many samples")
  int limit;

  @Override
  public Integer call() {
    return show(
        "GET", "/secrets/" + seg(id(Names.Kind.SECRET, secret)) + "/exposure?limit=" + limit, null);
  }
}
