package io.secretsapi.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code secretsapi secret versions ID}: GET /secrets/{id}/versions. */
@Command(
    name = "versions",
    mixinStandardHelpOptions = true,
    description = "List a secret's versions and states.")
final class SecretVersionsCommand implements Callable<Integer> {
  @Mixin ClientOptions opts;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SECRET", description = "Secret name or id (sec_...)")
  String id;

  @Override
  public Integer call() {
    opts.print(
        spec.commandLine().getOut(),
        opts.client().secretVersions(opts.id(Names.Kind.SECRET, id)),
        List.of(
            new ClientOptions.Column("VERSION", "version"),
                new ClientOptions.Column("STATE", "state"),
            new ClientOptions.Column("MASKED", "masked"),
                new ClientOptions.Column("FINGERPRINT", "fingerprint"),
            new ClientOptions.Column("CREATED", "created_at"),
                new ClientOptions.Column("GRACE UNTIL", "grace_until")),
        a -> a.get("versions"),
        null);
    return 0;
  }
}
