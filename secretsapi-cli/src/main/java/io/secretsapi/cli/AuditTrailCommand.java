package io.secretsapi.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ObjectNode;

/** {@code secretsapi audit trail}: GET /audit/trail. */
@Command(name = "trail", mixinStandardHelpOptions = true, description = "Audit records, filtered.")
final class AuditTrailCommand implements Callable<Integer> {
  @Mixin ClientOptions opts;
  @Spec CommandSpec spec;

  @Option(names = "--secret", description = "Only records of this secret (name or id)")
  String secret;

  @Option(names = "--token-id", description = "Only records of this token")
  String token;

  @Option(names = "--principal", description = "Only records this principal acted in")
  String principal;

  @Option(names = "--type", description = "Only records of this type, such as token.issue")
  String type;

  @Option(names = "--from", description = "From this audit offset on")
  Long from;

  @Option(
      names = "--limit",
      defaultValue = "100",
      description = "Most records (default ${DEFAULT-VALUE})")
  int limit;

  @Option(
      names = "--cursor",
      description = "Start at this page: the next_cursor a listing with the same filters answered")
  String cursor;

  @Override
  public Integer call() {
    StringBuilder q = new StringBuilder("/audit/trail?limit=" + limit);
    if (secret != null) {
      q.append("&secret_id=").append(opts.id(Names.Kind.SECRET, secret));
    }
    if (token != null) {
      q.append("&token_id=").append(token);
    }
    if (principal != null) {
      q.append("&principal=").append(principal);
    }
    if (type != null) {
      q.append("&type=").append(type);
    }
    if (from != null) {
      q.append("&from=").append(from);
    }
    if (cursor != null) {
      q.append("&cursor=")
          .append(java.net.URLEncoder.encode(cursor, java.nio.charset.StandardCharsets.UTF_8));
    }
    var answer = opts.client().call("GET", q.toString(), null);
    answer.get("items").forEach(i -> ((ObjectNode) i).setAll((ObjectNode) i.get("record")));
    opts.print(
        spec.commandLine().getOut(),
        answer,
        List.of(
            new ClientOptions.Column("REF", "audit_ref"),
            new ClientOptions.Column("TIME", "time"),
            new ClientOptions.Column("TYPE", "type"),
            new ClientOptions.Column("ACTOR", "actor"),
            new ClientOptions.Column("SECRET", "secret_id"),
            new ClientOptions.Column("TOKEN", "token_id"),
            new ClientOptions.Column("DECISION", "decision"),
            new ClientOptions.Column("REASON", "reason")),
        a -> a.get("items"),
        ClientOptions.nextPage(answer, null));
    return 0;
  }
}
