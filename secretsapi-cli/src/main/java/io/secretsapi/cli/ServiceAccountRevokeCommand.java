package io.secretsapi.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code secretsapi service-account revoke ID}: POST /service-accounts/{id}/revoke. */
@Command(
    name = "revoke",
    mixinStandardHelpOptions = true,
    description = "Revoke a service account, its keys and every grant made with them.")
final class ServiceAccountRevokeCommand implements Callable<Integer> {
  @Mixin ClientOptions opts;
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "ACCOUNT",
      description = "Service account name or id (sak_...)")
  String id;

  @Override
  public Integer call() {
    opts.printObject(
        spec.commandLine().getOut(),
        opts.client().revokeServiceAccount(opts.id(Names.Kind.SERVICE_ACCOUNT, id)));
    return 0;
  }
}
