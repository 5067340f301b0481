package io.secretsapi.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code secretsapi secret rotate ID}: POST /secrets/{id}/rotate. */
@Command(
    name = "rotate",
    mixinStandardHelpOptions = true,
    description =
        "Rotate a secret: a new current value; the old stays previous for the grace window.")
final class SecretRotateCommand implements Callable<Integer> {
  @Mixin ClientOptions opts;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SECRET", description = "Secret name or id (sec_...)")
  String id;

  @Option(
      names = "--value-file",
      paramLabel = "FILE",
      description = "New value from FILE, or '-' for standard input")
  String valueFile;

  @Option(names = "--value", description = "New value (visible in shell history)")
  String value;

  @Option(
      names = "--grace",
      description = "How long the old value stays readable (default 1h; 0s seals it now)")
  String grace;

  @Option(
      names = "--reason",
      description = "Why: queues the rotation through the rotation engine (no value)")
  String reason;

  @Option(
      names = "--idempotency-key",
      description = "Queue through the rotation engine; a retry with the same key is one rotation")
  String idempotencyKey;

  @Override
  public Integer call() {
    if (reason != null || idempotencyKey != null) {
      if (value != null || valueFile != null || grace != null) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(),
            "--reason and --idempotency-key queue a rotation: the rotator makes the value and the"
                + " rotation settings give the grace");
      }
      opts.printObject(
          spec.commandLine().getOut(),
          opts.client()
              .queueRotation(
                  opts.id(Names.Kind.SECRET, id),
                  Optional.ofNullable(reason),
                  Optional.ofNullable(idempotencyKey)));
      return 0;
    }
    var answer =
        opts.client()
            .rotateSecret(
                opts.id(Names.Kind.SECRET, id),
                SecretValues.read(value, valueFile),
                Optional.ofNullable(grace));
    opts.printObject(spec.commandLine().getOut(), answer);
    return 0;
  }
}
