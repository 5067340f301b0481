package io.secretsapi.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code secretsapi secret list}: GET /secrets. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List secrets, masked.")
final class SecretListCommand implements Callable<Integer> {
  @Mixin ClientOptions opts;
  @Spec CommandSpec spec;

  @Option(names = "--resource-class", description = "Only this resource class")
  String resourceClass;

  @Option(names = "--environment", description = "Only this environment")
  String environment;

  @Option(names = "--provider", description = "Only this provider")
  String provider;

  @Option(names = "--owner", description = "Only this owner team")
  String owner;

  @Option(names = "--status", description = "active (default) or sealed")
  String status;

  @Option(names = "--sort", description = "last_access (default), name or created")
  String sort;

  @Option(
      names = "--limit",
      defaultValue = "50",
      description = "Page size, 1 to 500 (default ${DEFAULT-VALUE})")
  int limit;

  @Option(
      names = "--offset",
      defaultValue = "0",
      description =
          "Skip this many (default ${DEFAULT-VALUE}); deep offsets cost more: use --cursor")
  int offset;

  @Option(
      names = "--cursor",
      description = "Start at this page: the next_cursor a listing with the same filters answered")
  String cursor;

  @Override
  public Integer call() {
    Map<String, String> q = new LinkedHashMap<>();
    put(q, "resource_class", resourceClass);
    put(q, "environment", environment);
    put(q, "provider", provider);
    put(q, "owner", owner);
    put(q, "status", status);
    put(q, "sort", sort);
    q.put("limit", String.valueOf(limit));
    if (offset > 0) {
      q.put("offset", String.valueOf(offset));
    }
    put(q, "cursor", cursor);
    var answer = opts.client().listSecrets(q);
    opts.print(
        spec.commandLine().getOut(),
        answer,
        List.of(
            new ClientOptions.Column("ID", "id"), new ClientOptions.Column("NAME", "name"),
            new ClientOptions.Column("PROVIDER", "provider"),
                new ClientOptions.Column("CLASS", "resource_class"),
            new ClientOptions.Column("ENV", "environment"),
                new ClientOptions.Column("MASKED", "masked"),
            new ClientOptions.Column("VERSION", "current_version"),
                new ClientOptions.Column("LAST ACCESS", "last_accessed_at")),
        a -> a.get("items"),
        ClientOptions.nextPage(answer, answer.get("showing").asString()));
    return 0;
  }

  private static void put(Map<String, String> q, String k, String v) {
    if (v != null) {
      q.put(k, v);
    }
  }
}
