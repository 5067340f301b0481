package io.secretsapi.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Plain aligned columns for terminal output. Nested values are written as text, never as JSON: a
 * list of words as {@code a,b}, an object as {@code key=value} pairs, a list of objects with {@code
 * ;} between them.
 */
final class Table {
  private Table() {}

  static void print(PrintWriter out, List<ClientOptions.Column> columns, Iterable<JsonNode> rows) {
    List<String[]> cells = new ArrayList<>();
    cells.add(columns.stream().map(ClientOptions.Column::header).toArray(String[]::new));
    for (JsonNode row : rows) {
      cells.add(columns.stream().map(c -> text(at(row, c.field()))).toArray(String[]::new));
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

  /**
   * One row of a table whose rows arrive one by one (a stream): fixed widths, the last column as
   * wide as it needs. Call with the headers first.
   */
  static void streamRow(PrintWriter out, int[] widths, String... cells) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      String c = cells[i] == null ? "-" : cells[i];
      line.append(i < widths.length ? String.format("%-" + widths[i] + "s ", c) : c);
    }
    out.println(line.toString().stripTrailing());
    out.flush();
  }

  /** The value at a field, or at a dotted path such as {@code record.type}. */
  static JsonNode at(JsonNode row, String field) {
    JsonNode v = row;
    for (String part : field.split("\\.")) {
      v = v == null ? null : v.get(part);
    }
    return v;
  }

  /** One object as {@code field value} lines; nested objects and lists of objects by path. */
  static void lines(PrintWriter out, String prefix, JsonNode node) {
    for (var e : node.properties()) {
      String key = prefix + e.getKey();
      JsonNode v = e.getValue();
      if (v.isObject() && !v.isEmpty()) {
        lines(out, key + ".", v);
      } else if (v.isArray() && !v.isEmpty() && v.get(0).isContainer()) {
        for (int i = 0; i < v.size(); i++) {
          if (v.get(i).isObject()) {
            lines(out, key + "[" + i + "].", v.get(i));
          } else {
            out.printf("%-20s %s%n", key + "[" + i + "]", text(v.get(i)));
          }
        }
      } else if (v.isString() && v.asString().contains("\n")) {
        out.printf("%-20s%n", key);
        v.asString().lines().forEach(l -> out.println("  " + l));
      } else {
        out.printf("%-20s %s%n", key, text(v));
      }
    }
  }

  /** A value as one line of readable text. */
  static String text(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return "-";
    }
    if (v.isArray()) {
      List<String> parts = new ArrayList<>();
      boolean objects = false;
      for (JsonNode x : v) {
        objects |= x.isContainer();
        parts.add(text(x));
      }
      return String.join(objects ? "; " : ",", parts);
    }
    if (v.isObject()) {
      List<String> parts = new ArrayList<>();
      for (var e : v.properties()) {
        if (!e.getValue().isNull()) {
          parts.add(e.getKey() + "=" + text(e.getValue()));
        }
      }
      return parts.isEmpty() ? "-" : String.join(" ", parts);
    }
    return v.asString().replace('\n', ' ');
  }
}
