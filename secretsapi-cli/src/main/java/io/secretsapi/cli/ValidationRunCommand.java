package io.secretsapi.cli;

import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code secretsapi validation run SECRET}: POST /secrets/{id}/validate. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Probe the provider with the stored key now: healthy, rotation due or failed.")
final class ValidationRunCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "SECRET", description = "Secret name or id (sec_...)")
  String secret;

  @Option(names = "--every", description = "Also probe on this schedule, such as 1d")
  String every;

  @Override
  public Integer call() {
    return show(
        "POST",
        "/secrets/" + seg(id(Names.Kind.SECRET, secret)) + "/validate",
        every == null ? null : Map.of("every", every));
  }
}
