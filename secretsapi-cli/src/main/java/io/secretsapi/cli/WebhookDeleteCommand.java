package io.secretsapi.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code secretsapi webhook delete WEBHOOK}: DELETE /webhooks/{id}. */
@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    description = "Delete a subscription, its signing secret and its delivery log.")
final class WebhookDeleteCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "WEBHOOK", description = "Webhook URL or id (whk_...)")
  String webhook;

  @Override
  public Integer call() {
    String id = id(Names.Kind.WEBHOOK, webhook);
    client().call("DELETE", "/webhooks/" + seg(id), null);
    Map<String, Object> done = new LinkedHashMap<>();
    done.put("status", "deleted");
    done.put("id", id);
    opts.printObject(out(), ClientOptions.Compact.MAPPER.valueToTree(done));
    return 0;
  }
}
