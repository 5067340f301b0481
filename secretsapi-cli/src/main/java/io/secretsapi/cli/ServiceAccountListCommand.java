package io.secretsapi.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code secretsapi service-account list}: GET /service-accounts. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List service accounts.")
final class ServiceAccountListCommand implements Callable<Integer> {
  @Mixin ClientOptions opts;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    opts.print(
        spec.commandLine().getOut(),
        opts.client().listServiceAccounts(),
        List.of(
            new ClientOptions.Column("ID", "id"), new ClientOptions.Column("NAME", "name"),
            new ClientOptions.Column("DESCRIPTION", "description"),
                new ClientOptions.Column("CREATED", "created_at")),
        a -> a.get("items"),
        null);
    return 0;
  }
}
