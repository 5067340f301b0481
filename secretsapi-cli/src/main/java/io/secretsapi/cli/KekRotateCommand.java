package io.secretsapi.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code secretsapi kek rotate}: POST /admin/kek/rotate on the running broker. */
@Command(
    name = "rotate",
    mixinStandardHelpOptions = true,
    description =
        "Re-wrap every data key under a new key-encryption key while the broker runs (needs admin).")
final class KekRotateCommand implements Callable<Integer> {
  @Mixin ClientOptions opts;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    opts.printObject(spec.commandLine().getOut(), opts.client().rotateKek());
    return 0;
  }
}
