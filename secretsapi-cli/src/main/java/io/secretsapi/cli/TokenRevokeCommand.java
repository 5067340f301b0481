package io.secretsapi.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code secretsapi token revoke}: POST /access/revoke. */
@Command(
    name = "revoke",
    mixinStandardHelpOptions = true,
    description =
        "Revoke a token (and its subtree), a secret, a principal or an API key, immediately.")
final class TokenRevokeCommand implements Callable<Integer> {
  @Mixin ClientOptions opts;
  @Spec CommandSpec spec;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Target target;

  static final class Target {
    @Option(
        names = "--token-id",
        description =
            "This token (id, or a file holding it) and, unless --no-cascade, its descendants")
    String tokenId;

    @Option(names = "--secret", description = "Every active grant of this secret (name or id)")
    String secretId;

    @Option(names = "--principal", description = "Every active grant held by this principal")
    String principal;

    @Option(
        names = "--api-key",
        description =
            "Every active grant made with this API key (name or id; a whole key is cut to its id)")
    String apiKeyId;
  }

  @Option(names = "--no-cascade", description = "Revoke the token only, not its descendants")
  boolean noCascade;

  @Option(names = "--reason", description = "Why, kept in the audit record")
  String reason;

  @Override
  public Integer call() {
    Map<String, Object> body = new LinkedHashMap<>();
    if (target.tokenId != null) {
      body.put("token_id", Names.tokenId(target.tokenId));
      if (noCascade) {
        body.put("cascade", false);
      }
    } else if (target.secretId != null) {
      body.put("secret_id", opts.id(Names.Kind.SECRET, target.secretId));
    } else if (target.principal != null) {
      body.put("principal", target.principal);
    } else {
      body.put("api_key_id", opts.id(Names.Kind.API_KEY, target.apiKeyId));
    }
    if (reason != null) {
      body.put("reason", reason);
    }
    opts.printObject(
        spec.commandLine().getOut(), opts.client().call("POST", "/access/revoke", body));
    return 0;
  }
}
