package io.secretsapi.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Plain aligned columns for terminal output. */
final class Table {
  private Table() {}

  static void print(PrintWriter out, List<ClientOptions.Column> columns, Iterable<JsonNode> rows) {
    List<String[]> cells = new ArrayList<>();
    cells.add(columns.stream().map(ClientOptions.Column::header).toArray(String[]::new));
    for (JsonNode row : rows) {
      cells.add(columns.stream().map(c -> cell(row, c.field())).toArray(String[]::new));
    }
    int[] width = new int[columns.size()];
    for (String[] r : cells) {
      for (int i = 0; i < r.length; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    for (String[] r : cells) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        line.append(String.format("%-" + (width[i] + 2) + "s", r[i]));
      }
      out.println(line.toString().stripTrailing());
    }
  }

  private static String cell(JsonNode row, String field) {
    JsonNode v = row.get(field);
    if (v == null || v.isNull()) {
      return "-";
    }
    if (v.isArray()) {
      List<String> parts = new ArrayList<>();
      v.forEach(x -> parts.add(x.asString()));
      return String.join(",", parts);
    }
    return v.asString();
  }
}
