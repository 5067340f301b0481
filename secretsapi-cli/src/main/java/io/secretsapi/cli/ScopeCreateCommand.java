package io.secretsapi.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code secretsapi scope create SECRET NAME}: POST /secrets/{id}/scope. */
@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    description = "Define a scope of a secret: operations, upstream, max TTL, uses and amount.")
final class ScopeCreateCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "SECRET", description = "Secret name or id (sec_...)")
  String secret;

  @Parameters(index = "1", paramLabel = "NAME", description = "Scope name, such as model-access")
  String name;

  @Option(
      names = "--operations",
      required = true,
      split = ",",
      description = "What a token of this scope may do: proxy, reveal, derive")
  List<String> operations;

  @Option(names = "--host", description = "An upstream host the proxy may reach (repeatable)")
  List<String> hosts;

  @Option(names = "--method", description = "An HTTP method allowed upstream (repeatable)")
  List<String> methods;

  @Option(
      names = "--path-prefix",
      description = "A path prefix allowed upstream, such as /v1 (repeatable)")
  List<String> prefixes;

  @Option(names = "--max-ttl", description = "Longest token lifetime (broker default 15m)")
  String maxTtl;

  @Option(names = "--max-uses", description = "Most uses of one token")
  Long maxUses;

  @Option(names = "--max-amount", description = "Largest total amount one token may spend")
  String maxAmount;

  @Option(
      names = "--amount-field",
      description = "The request body's field that holds the amount, such as amount")
  String amountField;

  @Override
  public Integer call() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("operations", operations);
    if (hosts != null || methods != null || prefixes != null) {
      Map<String, Object> up = new LinkedHashMap<>();
      up.put("hosts", hosts == null ? List.of() : hosts);
      up.put("methods", methods == null ? List.of() : methods);
      up.put("path_prefixes", prefixes == null ? List.of() : prefixes);
      body.put("upstream", up);
    }
    putIf(body, "max_ttl", maxTtl);
    putIf(body, "max_uses", maxUses);
    putIf(body, "max_amount", maxAmount);
    putIf(body, "amount_field", amountField);
    return show("POST", "/secrets/" + seg(id(Names.Kind.SECRET, secret)) + "/scope", body);
  }

  static void putIf(Map<String, Object> body, String field, Object value) {
    if (value != null) {
      body.put(field, value);
    }
  }
}
