package io.secretsapi.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code secretsapi webhook deliveries WEBHOOK}: GET /webhooks/{id}/deliveries. */
@Command(
    name = "deliveries",
    mixinStandardHelpOptions = true,
    description = "The delivery log, newest first: outcome, HTTP status and error of each attempt.")
final class WebhookDeliveriesCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "WEBHOOK", description = "Webhook URL or id (whk_...)")
  String webhook;

  @Option(
      names = "--limit",
      defaultValue = "100",
      description = "Most attempts to show (default ${DEFAULT-VALUE})")
  int limit;

  @Override
  public Integer call() {
    return list(
        "/webhooks/" + seg(id(Names.Kind.WEBHOOK, webhook)) + "/deliveries?limit=" + limit,
        col("AT", "at"),
        col("AUDIT REF", "audit_ref"),
        col("ATTEMPT", "attempt"),
        col("OUTCOME", "outcome"),
        col("HTTP", "http_status"),
        col("MS", "duration_ms"),
        col("ERROR", "error"));
  }
}
