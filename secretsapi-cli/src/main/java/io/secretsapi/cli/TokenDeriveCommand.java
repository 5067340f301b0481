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

/** {@code secretsapi token derive}: POST /tokens/derive, authenticated by the parent token. */
@Command(
    name = "derive",
    mixinStandardHelpOptions = true,
    description = "Narrow a token into a child token.")
final class TokenDeriveCommand implements Callable<Integer> {
  @Mixin ClientOptions opts;
  @Spec CommandSpec spec;

  @Option(
      names = "--token-file",
      required = true,
      description = "The parent token, from FILE or '-'")
  String tokenFile;

  @Option(
      names = "--ttl",
      required = true,
      description = "The child's lifetime, within the parent's")
  String ttl;

  @Option(
      names = "--operation",
      split = ",",
      description = "Subset of the parent's: proxy,reveal,derive")
  List<String> ops;

  @Option(names = "--host", description = "Allowed upstream host (repeatable)")
  List<String> hosts;

  @Option(names = "--method", description = "Allowed HTTP method (repeatable)")
  List<String> methods;

  @Option(names = "--path-prefix", description = "Allowed path prefix (repeatable)")
  List<String> prefixes;

  @Option(names = "--max-uses", description = "Most uses of the child, within the parent's")
  Long maxUses;

  @Option(names = "--max-amount", description = "Largest amount the child may spend")
  String maxAmount;

  @Option(names = "--subject", description = "Principal of the child (needs delegation)")
  String subject;

  @Override
  public Integer call() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("token", SecretValues.read(null, tokenFile).orElseThrow().strip());
    body.put("ttl", ttl);
    if (ops != null) {
      body.put("operations", ops);
    }
    if (hosts != null || methods != null || prefixes != null) {
      Map<String, Object> up = new LinkedHashMap<>();
      up.put("hosts", hosts == null ? List.of() : hosts);
      up.put("methods", methods == null ? List.of() : methods);
      up.put("path_prefixes", prefixes == null ? List.of() : prefixes);
      body.put("upstream", up);
    }
    if (maxUses != null) {
      body.put("max_uses", maxUses);
    }
    if (maxAmount != null) {
      body.put("max_amount", maxAmount);
    }
    if (subject != null) {
      body.put("subject", subject);
    }
    opts.printObject(
        spec.commandLine().getOut(), opts.anonymous().call("POST", "/tokens/derive", body));
    return 0;
  }
}
