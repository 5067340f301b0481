package io.secretsapi.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code secretsapi topology}: GET /topology as a table, one row per resource under its trust zone;
 * {@code secretsapi topology zone ...} sets and deletes zones.
 */
@Command(
    name = "topology",
    mixinStandardHelpOptions = true,
    description =
        "The resource topology: each upstream with its trust zone, state, access rate per minute"
            + " (this node's) and the secrets that reach it.",
    subcommands = {TopologyZoneCommand.class})
final class TopologyCommand extends ApiCommand {
  @Override
  public Integer call() {
    JsonNode answer = client().call("GET", "/topology", null);
    opts.print(
        out(),
        answer,
        List.of(
            col("ZONE", "zone"),
            col("RESOURCE", "name"),
            col("STATE", "state"),
            col("RATE/MIN", "rate_per_minute"),
            col("SECRETS", "secrets"),
            col("WHY", "state_reason")),
        TopologyCommand::rows,
        answer.get("nodes").asInt() + " nodes");
    return 0;
  }

  /** One row per resource, with its zone's name and its secrets by name. */
  private static Iterable<JsonNode> rows(JsonNode answer) {
    List<JsonNode> rows = new ArrayList<>();
    for (JsonNode zone : answer.get("zones")) {
      for (JsonNode r : zone.get("resources")) {
        ObjectNode row = ((ObjectNode) r).deepCopy();
        row.put("zone", zone.get("name").asString());
        List<String> names = new ArrayList<>();
        r.get("secrets").forEach(s -> names.add(s.get("name").asString()));
        row.put("secrets", String.join(",", names));
        rows.add(row);
      }
    }
    return rows;
  }
}
