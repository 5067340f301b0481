package io.secretsapi.cli;

import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code secretsapi secret set-value SECRET}: PUT /secrets/{id}/value. */
@Command(
    name = "set-value",
    mixinStandardHelpOptions = true,
    description = "Replace the value: a new version; the old one is sealed at once (no grace).")
final class SecretSetValueCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "SECRET", description = "Secret name or id (sec_...)")
  String secret;

  @Option(
      names = "--value-file",
      paramLabel = "FILE",
      description = "Read the new value from FILE, or '-' for standard input")
  String valueFile;

  @Option(names = "--value", description = "The new value (visible in shell history)")
  String value;

  @Override
  public Integer call() {
    String v =
        SecretValues.read(value, valueFile)
            .orElseThrow(() -> CliException.usage("give --value-file FILE (or -) or --value"));
    return show(
        "PUT", "/secrets/" + seg(id(Names.Kind.SECRET, secret)) + "/value", Map.of("value", v));
  }
}
