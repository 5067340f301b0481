package io.secretsapi.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import tools.jackson.databind.JsonNode;

/** {@code secretsapi openapi}: GET /openapi.json, or its operations one a row. */
@Command(
    name = "openapi",
    mixinStandardHelpOptions = true,
    description = "The API's OpenAPI 3.1 document (-o json), or its endpoints one a row.")
final class OpenApiCommand extends ApiCommand {
  @Override
  public Integer call() {
    JsonNode doc = opts.anonymous().call("GET", "/openapi.json", null);
    if (opts.json(false)) {
      opts.printObject(out(), doc);
      return 0;
    }
    List<Map<String, String>> rows = new ArrayList<>();
    for (var path : doc.get("paths").properties()) {
      for (var op : path.getValue().properties()) {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("method", op.getKey().toUpperCase(java.util.Locale.ROOT));
        r.put("path", path.getKey());
        r.put("summary", op.getValue().path("summary").asString(""));
        rows.add(r);
      }
    }
    opts.printItems(
        out(),
        ClientOptions.Compact.MAPPER.valueToTree(Map.of("items", rows)),
        col("METHOD", "method"),
        col("PATH", "path"),
        col("SUMMARY", "summary"));
    return 0;
  }
}
