package io.secretsapi.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/** {@code secretsapi approval list}: GET /approvals. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description =
        "Approvals the caller may see (its own requests, those it may decide), pending first.")
final class ApprovalListCommand extends ApiCommand {
  @Option(
      names = "--state",
      description = "Only approvals in this state: pending, approved, denied, expired or issued")
  String state;

  @Option(names = "--limit", description = "Page size, 1 to 500 (default 50)")
  Integer limit;

  @Option(
      names = "--cursor",
      description = "Start at this page: the next_cursor a listing with the same state answered")
  String cursor;

  @Override
  public Integer call() {
    List<String> q = new ArrayList<>();
    if (state != null) {
      q.add("state=" + seg(state));
    }
    if (limit != null) {
      q.add("limit=" + limit);
    }
    if (cursor != null) {
      q.add("cursor=" + seg(cursor));
    }
    JsonNode answer =
        client().call("GET", "/approvals" + (q.isEmpty() ? "" : "?" + String.join("&", q)), null);
    opts.print(
        out(),
        answer,
        List.of(ApprovalCommand.COLUMNS),
        a -> a.get("items"),
        ClientOptions.nextPage(answer, null));
    return 0;
  }
}
