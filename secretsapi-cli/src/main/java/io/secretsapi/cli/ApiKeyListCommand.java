package io.secretsapi.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code secretsapi apikey list}: GET /api-keys. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "List API keys (never the keys themselves).")
final class ApiKeyListCommand implements Callable<Integer> {
  @Mixin ClientOptions opts;
  @Spec CommandSpec spec;

  @Option(
      names = "--service-account",
      description = "Only this service account's keys (name or id)")
  String account;

  @Override
  public Integer call() {
    opts.print(
        spec.commandLine().getOut(),
        opts.client()
            .listApiKeys(Optional.ofNullable(opts.idOrNull(Names.Kind.SERVICE_ACCOUNT, account))),
        ApiKeyCommand.COLUMNS,
        a -> a.get("items"),
        null);
    return 0;
  }
}
