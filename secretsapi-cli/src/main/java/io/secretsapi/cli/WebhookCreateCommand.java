package io.secretsapi.cli;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code secretsapi webhook create URL}: POST /webhooks; prints the signing secret once. */
@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    description = "Subscribe URL to events; the signing secret is printed once.")
final class WebhookCreateCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "URL", description = "Where deliveries are POSTed")
  String url;

  @Option(
      names = "--events",
      required = true,
      split = ",",
      description =
          "Families (access, grant, refusal, rotation, revocation, policy) or record types")
  List<String> events;

  @Override
  public Integer call() {
    return show("POST", "/webhooks", Map.of("url", url, "events", events));
  }
}
