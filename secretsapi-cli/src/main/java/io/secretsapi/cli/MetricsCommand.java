package io.secretsapi.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code secretsapi metrics}: GET /metrics, the Prometheus text, or its samples as rows. */
@Command(
    name = "metrics",
    mixinStandardHelpOptions = true,
    description = "The broker's metrics: one sample a row (or -o json), or --raw Prometheus text.")
final class MetricsCommand extends ApiCommand {
  @Option(names = "--raw", description = "Print the Prometheus text exposition as served")
  boolean raw;

  @Option(names = "--grep", paramLabel = "TEXT", description = "Only samples whose name holds TEXT")
  String grep;

  @Override
  public Integer call() {
    String text = opts.anonymous().send("GET", "/metrics", null, null).body();
    if (raw) {
      out().print(text);
      out().flush();
      return 0;
    }
    List<Map<String, String>> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      String name = line.substring(0, brace >= 0 && brace < space ? brace : space);
      if (grep != null && !name.contains(grep)) {
        continue;
      }
      Map<String, String> s = new LinkedHashMap<>();
      s.put("name", name);
      s.put(
          "labels",
          brace >= 0 && brace < space ? line.substring(brace + 1, line.lastIndexOf('}')) : "");
      s.put("value", line.substring(space + 1));
      samples.add(s);
    }
    opts.printItems(
        out(),
        ClientOptions.Compact.MAPPER.valueToTree(Map.of("items", samples)),
        col("NAME", "name"),
        col("LABELS", "labels"),
        col("VALUE", "value"));
    return 0;
  }
}
