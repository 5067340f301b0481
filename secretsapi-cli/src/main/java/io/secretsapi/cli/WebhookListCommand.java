package io.secretsapi.cli;

import picocli.CommandLine.Command;

/** {@code secretsapi webhook list}: GET /webhooks. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "The caller's webhook subscriptions (all with admin).")
final class WebhookListCommand extends ApiCommand {
  @Override
  public Integer call() {
    return list("/webhooks", WebhookCommand.COLUMNS);
  }
}
