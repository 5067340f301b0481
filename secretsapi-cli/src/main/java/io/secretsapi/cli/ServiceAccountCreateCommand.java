package io.secretsapi.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code secretsapi service-account create NAME}: POST /service-accounts. */
@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    description = "Create a service account (needs keys:admin).")
final class ServiceAccountCreateCommand implements Callable<Integer> {
  @Mixin ClientOptions opts;
  @Spec CommandSpec spec;

  @Parameters(index = "0", description = "Name, such as agent-runtime-04")
  String name;

  @Option(names = "--description", defaultValue = "", description = "What the account is for")
  String description;

  @Override
  public Integer call() {
    opts.printObject(
        spec.commandLine().getOut(), opts.client().createServiceAccount(name, description));
    return 0;
  }
}
