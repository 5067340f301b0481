package io.secretsapi.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code secretsapi webhook get WEBHOOK}: GET /webhooks/{id}. */
@Command(name = "get", mixinStandardHelpOptions = true, description = "Show one subscription.")
final class WebhookGetCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "WEBHOOK", description = "Webhook URL or id (whk_...)")
  String webhook;

  @Override
  public Integer call() {
    return show("GET", "/webhooks/" + seg(id(Names.Kind.WEBHOOK, webhook)), null);
  }
}
