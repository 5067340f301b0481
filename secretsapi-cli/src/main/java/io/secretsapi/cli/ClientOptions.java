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
  private static final class Pretty {
    static final JsonMapper MAPPER =
        JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
  }

  @Option(
      names = "--addr",
      description = "Broker address (env SECRETSAPI_ADDR; default ${DEFAULT-VALUE})",
      defaultValue = "${env:SECRETSAPI_ADDR:-http://127.0.0.1:8200}")
  String addr;

  @Option(
      names = "--token",
      description = "API key (env SECRETSAPI_TOKEN)",
      defaultValue = "${env:SECRETSAPI_TOKEN}")
  String token;

  @Option(
      names = {"-o", "--output"},
      description = "json or table (default ${DEFAULT-VALUE})",
      defaultValue = "table")
  String output;

  SecretsApiClient client() {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("no API key: pass --token or set SECRETSAPI_TOKEN");
    }
    return SecretsApiClient.create(addr, token);
  }

  /** A client without an API key, for calls authenticated by a scoped token. */
  SecretsApiClient anonymous() {
    return SecretsApiClient.create(addr, null);
  }

  /** Prints the answer as JSON, or as a table of the given columns. */
  void print(
      PrintWriter out,
      JsonNode answer,
      List<Column> columns,
      Function<JsonNode, Iterable<JsonNode>> rows,
      String footer) {
    if ("json".equals(output)) {
      out.println(Pretty.MAPPER.writeValueAsString(answer));
    } else if ("table".equals(output)) {
      Table.print(out, columns, rows.apply(answer));
      if (footer != null) {
        out.println(footer);
      }
    } else {
      throw new IllegalArgumentException("--output must be json or table");
    }
    out.flush();
  }

  /** Prints one object as JSON, or as field: value lines. */
  void printObject(PrintWriter out, JsonNode answer) {
    if ("json".equals(output)) {
      out.println(Pretty.MAPPER.writeValueAsString(answer));
    } else {
      for (var e : answer.properties()) {
        JsonNode v = e.getValue();
        out.printf("%-20s %s%n", e.getKey(), v.isValueNode() ? v.asString() : v.toString());
      }
    }
    out.flush();
  }

  /** One table column: a header and the JSON field it shows. */
  record Column(String header, String field) {}
}
