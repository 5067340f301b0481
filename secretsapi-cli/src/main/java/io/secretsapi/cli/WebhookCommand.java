package io.secretsapi.cli;

import picocli.CommandLine.Command;

/** {@code secretsapi webhook ...}: signed deliveries of the trail's events to a URL. */
@Command(
    name = "webhook",
    mixinStandardHelpOptions = true,
    description =
        "Subscribe a URL to events; list, show and delete subscriptions; read deliveries.",
    subcommands = {
      WebhookCreateCommand.class,
      WebhookListCommand.class,
      WebhookGetCommand.class,
      WebhookDeleteCommand.class,
      WebhookDeliveriesCommand.class
    })
final class WebhookCommand {
  static final ClientOptions.Column[] COLUMNS = {
    ApiCommand.col("ID", "id"),
    ApiCommand.col("URL", "url"),
    ApiCommand.col("EVENTS", "events"),
    ApiCommand.col("STATUS", "status"),
    ApiCommand.col("CURSOR", "cursor"),
    ApiCommand.col("CREATED", "created_at")
  };
}
