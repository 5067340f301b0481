package io.secretsapi.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code secretsapi policy diff ID --from N --to M}: GET /policies/{id}/diff. */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    description = "Line diff between two versions.")
final class PolicyDiffCommand implements Callable<Integer> {
  @Mixin ClientOptions opts;
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "POLICY",
      description = "Policy set id, the name it was applied under, such as KEY-SCOPE-17")
  String id;

  @Option(names = "--from", required = true, description = "The older version")
  int from;

  @Option(names = "--to", required = true, description = "The newer version")
  int to;

  @Override
  public Integer call() {
    var answer =
        opts.client().call("GET", "/policies/" + id + "/diff?from=" + from + "&to=" + to, null);
    if (opts.json(false)) {
      opts.printObject(spec.commandLine().getOut(), answer);
    } else {
      answer.get("diff").forEach(l -> spec.commandLine().getOut().println(l.asString()));
      spec.commandLine().getOut().flush();
    }
    return 0;
  }
}
