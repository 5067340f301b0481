package io.secretsapi.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code secretsapi topology zone set NAME --resource HOST ...}: PUT /topology/zones/{name}. */
@Command(
    name = "set",
    mixinStandardHelpOptions = true,
    description =
        "Create or replace a trust zone: its description and exactly these resources (a resource"
            + " in another zone moves here). Needs policies:write.")
final class TopologyZoneSetCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "Zone name, such as zone-04")
  String name;

  @Option(
      names = "--resource",
      paramLabel = "HOST",
      description = "A host the zone holds, such as api.openai.com (repeat for several)")
  List<String> resources = new ArrayList<>();

  @Option(names = "--description", defaultValue = "", description = "What the zone is")
  String description;

  @Override
  public Integer call() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("description", description);
    body.put("resources", resources);
    return show("PUT", "/topology/zones/" + seg(name), body);
  }
}
