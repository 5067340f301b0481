package io.secretsapi.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code secretsapi token list}: GET /tokens. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "The token inventory.")
final class TokenListCommand implements Callable<Integer> {
  @Mixin ClientOptions opts;
  @Spec CommandSpec spec;

  @Option(names = "--secret", description = "Only tokens of this secret (name or id)")
  String secret;

  @Option(names = "--principal", description = "Only tokens this principal holds")
  String principal;

  @Option(names = "--status", description = "active, expired or revoked")
  String status;

  @Option(names = "--expiring-before", description = "RFC 3339 time")
  String before;

  @Option(
      names = "--limit",
      defaultValue = "50",
      description = "Page size (default ${DEFAULT-VALUE})")
  int limit;

  @Option(
      names = "--cursor",
      description = "Start at this page: the next_cursor a listing with the same filters answered")
  String cursor;

  @Override
  public Integer call() {
    Map<String, String> q = new LinkedHashMap<>();
    if (secret != null) {
      q.put("secret_id", opts.id(Names.Kind.SECRET, secret));
    }
    if (principal != null) {
      q.put("principal", principal);
    }
    if (status != null) {
      q.put("status", status);
    }
    if (before != null) {
      q.put("expiring_before", before);
    }
    q.put("limit", String.valueOf(limit));
    if (cursor != null) {
      q.put("cursor", cursor);
    }
    String query =
        q.entrySet().stream()
            .map(
                e ->
                    e.getKey()
                        + "="
                        + java.net.URLEncoder.encode(
                            e.getValue(), java.nio.charset.StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    var answer = opts.client().call("GET", "/tokens?" + query, null);
    opts.print(
        spec.commandLine().getOut(),
        answer,
        List.of(
            new ClientOptions.Column("TOKEN", "token_id"),
            new ClientOptions.Column("SECRET", "secret_id"),
            new ClientOptions.Column("SCOPE", "scope"),
            new ClientOptions.Column("SUBJECT", "subject"),
            new ClientOptions.Column("DEPTH", "depth"),
            new ClientOptions.Column("STATUS", "status"),
            new ClientOptions.Column("EXPIRES", "expires_at")),
        a -> a.get("items"),
        ClientOptions.nextPage(answer, null));
    return 0;
  }
}
