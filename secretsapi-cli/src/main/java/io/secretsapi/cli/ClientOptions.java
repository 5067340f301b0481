package io.secretsapi.cli;

import io.secretsapi.client.SecretsApiClient;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Where the broker is, which key to use, and how to print: shared by every client command. */
final class ClientOptions {
  /** Built on first use: a command that prints a table never pays for it. */
  static final class Pretty {
    static final JsonMapper MAPPER =
        JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
  }

  /** Built on first use, for the commands that read or build JSON themselves. */
  static final class Compact {
    static final JsonMapper MAPPER = JsonMapper.builder().build();
  }

  @Option(
      names = "--addr",
      paramLabel = "URL",
      description = "Broker address (env SECRETSAPI_ADDR; default ${DEFAULT-VALUE})",
      defaultValue = "${env:SECRETSAPI_ADDR:-http://127.0.0.1:8200}")
  String addr;

  @Option(
      names = "--token",
      paramLabel = "KEY",
      description = "API key (env SECRETSAPI_TOKEN); prefer the variable, a flag shows in ps",
      defaultValue = "${env:SECRETSAPI_TOKEN}")
  String token;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description =
          "json or table (default: table; the streams events and audit tail default to json,"
              + " one object a line)")
  String output;

  SecretsApiClient client() {
    if (token == null || token.isBlank()) {
      throw CliException.usage("no API key: pass --token or set SECRETSAPI_TOKEN");
    }
    return Main.made(SecretsApiClient.create(addr, token));
  }

  /** A client without an API key, for calls authenticated by a scoped token or none. */
  SecretsApiClient anonymous() {
    return Main.made(SecretsApiClient.create(addr, null));
  }

  /** The id a typed id or name stands for (see {@link Names}). */
  String id(Names.Kind kind, String typed) {
    return Names.id(client(), kind, typed);
  }

  /** The id, or null for an option that was not given. */
  String idOrNull(Names.Kind kind, String typed) {
    return typed == null ? null : id(kind, typed);
  }

  /** True for {@code -o json}; {@code fallback} says what a command prints without {@code -o}. */
  boolean json(boolean fallback) {
    if (output == null) {
      return fallback;
    }
    return switch (output) {
      case "json" -> true;
      case "table" -> false;
      default -> throw CliException.usage("--output must be json or table, not " + output);
    };
  }

  /** Prints the answer as JSON, or as a table of the given columns. */
  void print(
      PrintWriter out,
      JsonNode answer,
      List<Column> columns,
      Function<JsonNode, Iterable<JsonNode>> rows,
      String footer) {
    if (json(false)) {
      out.println(Pretty.MAPPER.writeValueAsString(answer));
    } else {
      Table.print(out, columns, rows.apply(answer));
      if (footer != null) {
        out.println(footer);
      }
    }
    out.flush();
  }

  /** Prints a list answer's {@code items} as JSON or a table. */
  void printItems(PrintWriter out, JsonNode answer, Column... columns) {
    print(out, answer, List.of(columns), a -> a.get("items"), null);
  }

  /** Prints one object as JSON, or as {@code field value} lines, nested fields by their path. */
  void printObject(PrintWriter out, JsonNode answer) {
    if (json(false)) {
      out.println(Pretty.MAPPER.writeValueAsString(answer));
    } else {
      Table.lines(out, "", answer);
    }
    out.flush();
  }

  /**
   * The line under a table that says how to ask for the next page, when there is one: {@code
   * --cursor} and the answer's {@code next_cursor}; {@code before} (such as "showing 8 of 142")
   * first.
   */
  static String nextPage(JsonNode answer, String before) {
    JsonNode next = answer.get("next_cursor");
    String more = next == null || next.isNull() ? null : "next page: --cursor " + next.asString();
    if (before == null) {
      return more;
    }
    return more == null ? before : before + "; " + more;
  }

  /** One table column: a header and the JSON field it shows. */
  record Column(String header, String field) {}

  static Column col(String header, String field) {
    return new Column(header, field);
  }
}
