package io.secretsapi.cli;

import io.secretsapi.client.SecretsApiClient;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** {@code secretsapi env}: the variables {@code run} would set, as export lines to eval. */
@Command(
    name = "env",
    mixinStandardHelpOptions = true,
    description = {
      "Issue a scoped token and print the SDK variables that point at the broker's proxy, as"
          + " shell-quoted export lines: eval \"$(secretsapi env --secret ... --scope ...)\".",
      "The token is NOT renewed and NOT revoked when your program ends: it stops working at"
          + " --ttl, or when you revoke it (secretsapi token revoke --token-id, printed in the"
          + " first line). Your shell keeps its SECRETSAPI_TOKEN: unset it before starting an"
          + " agent. Use secretsapi run for renewal, revocation and a clean environment."
    })
final class EnvCommand implements Callable<Integer> {
  private static final JsonMapper PRETTY =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  @Mixin BrokerOptions broker;
  @Mixin IntentOptions intent;
  @Spec CommandSpec spec;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "export",
      description =
          "export (default: a comment line, then export NAME='value' lines) or json (token_id,"
              + " expires_at, secret_id and the variables)")
  String output;

  @Override
  public Integer call() {
    if (!output.equals("export") && !output.equals("json")) {
      throw new IllegalArgumentException("--output must be export or json");
    }
    SecretsApiClient client = broker.client();
    Intent in = Intent.of(client, intent);
    Intent.Issued t = in.issue(client);
    String host;
    try {
      host = in.host(client, t);
    } catch (RuntimeException e) {
      Intent.revoke(client, t.tokenId(), "secretsapi env: the scope cannot be proxied");
      throw e;
    }
    Map<String, String> vars =
        ProviderEnv.variables(in.kind, broker.address() + "/proxy/" + host, t.token());
    PrintWriter out = spec.commandLine().getOut();
    if (output.equals("json")) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("token_id", t.tokenId());
      m.put("expires_at", t.expiresAt().toString());
      m.put("secret_id", in.secretId);
      m.put("renewed", false);
      m.put("variables", vars);
      out.println(PRETTY.writeValueAsString(m));
    } else {
      out.printf(
          "# secretsapi env: token %s for secret %s, scope %s, expires at %s; not renewed%n",
          t.tokenId(), in.secretId, intent.scope, t.expiresAt());
      vars.forEach((k, v) -> out.println("export " + k + "=" + quote(v)));
    }
    out.flush();
    return 0;
  }

  /** POSIX shell single quotes: a quote inside becomes {@code '\''}. */
  static String quote(String v) {
    return "'" + v.replace("'", "'\\''") + "'";
  }
}
