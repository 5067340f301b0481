package io.secretsapi.cli;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code secretsapi events}: follows GET /access/events, one JSON line per event, reconnecting with
 * Last-Event-ID after a lag notice or a dropped connection, so that nothing is lost or seen twice.
 */
@Command(
    name = "events",
    mixinStandardHelpOptions = true,
    description =
        "Follow access, grant, refusal, rotation, revocation and policy events (JSON lines or -o table).")
final class EventsCommand implements Callable<Integer> {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Mixin ClientOptions opts;
  @Spec CommandSpec spec;

  @Option(names = "--secret", description = "Only events of this secret (name or id).")
  String secret;

  @Option(names = "--principal", description = "Only events this principal acted in or was.")
  String principal;

  @Option(
      names = "--type",
      description = "A family (access, grant, refusal, rotation, revocation, policy) or a type.")
  String type;

  @Option(names = "--after", description = "Start after this audit offset (default: from now).")
  Long after;

  @Option(names = "--count", description = "Stop after this many events (default: follow).")
  Long count;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    StringBuilder q = new StringBuilder("/access/events?x=1");
    add(q, "secret_id", opts.idOrNull(Names.Kind.SECRET, secret));
    add(q, "principal", principal);
    add(q, "type", type);
    boolean json = opts.json(true);
    if (!json) {
      Table.streamRow(out, WIDTHS, "ID", "EVENT", "TYPE", "ACTOR", "SECRET", "DECISION", "REASON");
    }
    long[] last = {after == null ? -1 : after};
    long[] seen = {0};
    String[] event = {"message"};
    while (count == null || seen[0] < count) {
      Map<String, String> headers =
          last[0] < 0
              ? Map.of("Accept", "text/event-stream")
              : Map.of("Accept", "text/event-stream", "Last-Event-ID", String.valueOf(last[0]));
      try {
        opts.client().stream(
            q.toString(),
            headers,
            line -> {
              if (line.startsWith("id: ")) {
                last[0] = Long.parseLong(line.substring(4).trim());
              } else if (line.startsWith("event: ")) {
                event[0] = line.substring(7).trim();
              } else if (line.startsWith("data: ")) {
                JsonNode data = JSON.readTree(line.substring(6));
                if (event[0].equals("lagged")) {
                  last[0] = data.get("resume_after").asLong();
                  return false;
                }
                if (json) {
                  out.println(
                      JSON.writeValueAsString(
                          Map.of("id", last[0], "event", event[0], "record", data)));
                  out.flush();
                } else {
                  row(out, String.valueOf(last[0]), event[0], data);
                }
                seen[0]++;
                if (count != null && seen[0] >= count) {
                  return false;
                }
              }
              return true;
            });
      } catch (java.io.UncheckedIOException dropped) {
        Thread.sleep(1000); // the broker went away; resume from the last event seen
      }
    }
    return 0;
  }

  static final int[] WIDTHS = {8, 10, 18, 20, 18, 8};

  /** One event or record as a row of the stream's table. */
  static void row(PrintWriter out, String id, String event, JsonNode record) {
    Table.streamRow(
        out,
        WIDTHS,
        id,
        event,
        Table.text(record.get("type")),
        Table.text(record.get("actor")),
        Table.text(record.get("secret_id")),
        Table.text(record.get("decision")),
        Table.text(record.get("reason")));
  }

  static void add(StringBuilder q, String name, String value) {
    if (value != null) {
      q.append('&')
          .append(name)
          .append('=')
          .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }
  }
}
