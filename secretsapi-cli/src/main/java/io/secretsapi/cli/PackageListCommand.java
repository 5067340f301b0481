package io.secretsapi.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code secretsapi package list}: GET /packages, with each package's posture. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "The service packages of the caller's account, with their readiness posture.")
final class PackageListCommand extends ApiCommand {
  @Override
  public Integer call() {
    JsonNode answer = client().call("GET", "/packages", null);
    opts.print(
        out(),
        answer,
        List.of(
            col("ID", "id"),
            col("NAME", "name"),
            col("TIER", "tier"),
            col("REVIEW LANE", "review_lane"),
            col("POSTURE", "state"),
            col("ENGINES", "bound")),
        PackageListCommand::rows,
        null);
    return 0;
  }

  private static Iterable<JsonNode> rows(JsonNode answer) {
    List<JsonNode> rows = new ArrayList<>();
    for (JsonNode p : answer.get("items")) {
      ObjectNode row = ((ObjectNode) p).deepCopy();
      row.put("state", p.get("posture").get("state").asString());
      List<String> engines = new ArrayList<>();
      p.get("engines").forEach(e -> engines.add(e.asString()));
      row.put("bound", String.join(",", engines));
      rows.add(row);
    }
    return rows;
  }
}
