package io.secretsapi.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code secretsapi token introspect}: POST /tokens/introspect (RFC 7662). */
@Command(
    name = "introspect",
    mixinStandardHelpOptions = true,
    description = "Is a token active, and its claims; exits 0 when active, 1 when not.")
final class TokenIntrospectCommand implements Callable<Integer> {
  @Mixin ClientOptions opts;
  @Spec CommandSpec spec;

  @Option(names = "--token-file", required = true, description = "The token, from FILE or '-'")
  String tokenFile;

  @Override
  public Integer call() {
    String token = SecretValues.read(null, tokenFile).orElseThrow().strip();
    var answer = opts.client().call("POST", "/tokens/introspect", Map.of("token", token));
    opts.printObject(spec.commandLine().getOut(), answer);
    return answer.path("active").asBoolean(false) ? 0 : CliException.REFUSED;
  }
}
