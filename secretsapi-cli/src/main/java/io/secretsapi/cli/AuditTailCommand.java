package io.secretsapi.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * {@code secretsapi audit tail}: prints the newest records of the trail, then follows it, one
 * canonical record per line, polling GET /audit/trail by offset (so nothing is skipped).
 */
@Command(
    name = "tail",
    mixinStandardHelpOptions = true,
    description = "Print the last records of the audit trail, then follow it.")
final class AuditTailCommand implements Callable<Integer> {
  @Mixin ClientOptions opts;
  @Spec CommandSpec spec;

  @Option(
      names = {"-n", "--lines"},
      defaultValue = "10",
      description = "Records to start with.")
  int lines;

  @Option(names = "--type", description = "Only records of this type.")
  String type;

  @Option(names = "--count", description = "Stop after this many records (default: follow).")
  Long count;

  @Option(names = "--interval", defaultValue = "1000", description = "Poll interval in ms.")
  long interval;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    var client = opts.client();
    // A fresh checkpoint tells the current tree size (and leaves a signed head behind).
    long head = client.call("POST", "/audit/checkpoints", null).get("tree_size").asLong();
    long next = Math.max(1, head - lines + 1);
    long printed = 0;
    boolean json = opts.json(true);
    if (!json) {
      Table.streamRow(
          out,
          EventsCommand.WIDTHS,
          "OFFSET",
          "REF",
          "TYPE",
          "ACTOR",
          "SECRET",
          "DECISION",
          "REASON");
    }
    while (count == null || printed < count) {
      StringBuilder q = new StringBuilder("/audit/trail?limit=500&from=" + next);
      EventsCommand.add(q, "type", type);
      JsonNode items = client.call("GET", q.toString(), null).get("items");
      for (JsonNode i : items) {
        if (json) {
          out.println(i.get("record").toString());
        } else {
          EventsCommand.row(
              out, i.get("offset").asString(), Table.text(i.get("audit_ref")), i.get("record"));
        }
        next = i.get("offset").asLong() + 1;
        if (count != null && ++printed >= count) {
          break;
        }
      }
      out.flush();
      if (items.size() < 500) {
        Thread.sleep(interval);
      }
    }
    return 0;
  }
}
