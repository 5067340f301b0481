package io.secretsapi.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code secretsapi token resolve}: POST /tokens/resolve; prints the value (an explicit reveal).
 */
@Command(
    name = "resolve",
    mixinStandardHelpOptions = true,
    description =
        "Reveal the secret value through a token whose scope has reveal; prints the value only.")
final class TokenResolveCommand implements Callable<Integer> {
  @Mixin ClientOptions opts;
  @Spec CommandSpec spec;

  @Option(names = "--token-file", required = true, description = "The token, from FILE or '-'")
  String tokenFile;

  @Override
  public Integer call() {
    String token = SecretValues.read(null, tokenFile).orElseThrow().strip();
    var answer = opts.anonymous().call("POST", "/tokens/resolve", Map.of("token", token));
    if (opts.json(false)) {
      opts.printObject(spec.commandLine().getOut(), answer);
    } else {
      spec.commandLine().getOut().println(answer.get("value").asString());
      spec.commandLine().getOut().flush();
    }
    return 0;
  }
}
