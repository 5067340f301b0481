package io.secretsapi.cli;

import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code secretsapi engine update ENGINE --webhook WEBHOOK}: PATCH /engines/{id}. */
@Command(
    name = "update",
    mixinStandardHelpOptions = true,
    description =
        "Set the webhook the rotations of an engine's secrets are delivered to, whatever the"
            + " webhook's own event filter. Needs policies:write.")
final class EngineUpdateCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "ENGINE", description = "Engine id (eng_...)")
  String id;

  @Option(
      names = "--webhook",
      required = true,
      paramLabel = "WEBHOOK",
      description = "A webhook of the engine's account (whk_...); \"\" for none")
  String webhook;

  @Override
  public Integer call() {
    return show("PATCH", "/engines/" + seg(id), Map.of("webhook_id", webhook));
  }
}
