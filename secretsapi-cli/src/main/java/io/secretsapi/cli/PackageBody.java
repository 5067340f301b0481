package io.secretsapi.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The options of {@code package create} and {@code package update}: the body of a package. */
final class PackageBody {
  @Parameters(
      index = "0",
      paramLabel = "NAME",
      description = "Package name, such as \"Stripe + Cloudflare + Internal analytics\"")
  String name;

  @Option(names = "--tier", defaultValue = "", description = "Tier, such as \"SaaS / Stable\"")
  String tier;

  @Option(
      names = "--review-lane",
      defaultValue = "",
      description = "Review lane, such as \"Finance review bundle\"")
  String reviewLane;

  @Option(
      names = "--item",
      paramLabel = "SECRET:SCOPE",
      description =
          "A bundled secret id and the scope it is used under, such as sec_...:model-access"
              + " (repeat for several)")
  List<String> items = new ArrayList<>();

  Map<String, Object> body() {
    List<Map<String, String>> out = new ArrayList<>();
    for (String item : items) {
      int colon = item.lastIndexOf(':');
      if (colon <= 0 || colon == item.length() - 1) {
        throw CliException.usage("--item must be SECRET:SCOPE, not " + item);
      }
      out.add(Map.of("secret_id", item.substring(0, colon), "scope", item.substring(colon + 1)));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("tier", tier);
    body.put("review_lane", reviewLane);
    body.put("items", out);
    return body;
  }
}
