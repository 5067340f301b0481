package io.secretsapi.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code secretsapi policy apply ID -f FILE}: PUT /policies/{id}. */
@Command(
    name = "apply",
    mixinStandardHelpOptions = true,
    description = "Write the next version of a policy set.")
final class PolicyApplyCommand implements Callable<Integer> {
  @Mixin ClientOptions opts;
  @Spec CommandSpec spec;

  @Parameters(index = "0", description = "Policy id, such as KEY-SCOPE-17")
  String id;

  @Option(
      names = {"-f", "--file"},
      required = true,
      description = "YAML or JSON document, or '-'")
  String file;

  @Override
  public Integer call() {
    String doc = SecretValues.read(null, file).orElseThrow();
    String type = doc.stripLeading().startsWith("{") ? "application/json" : "application/yaml";
    var r = opts.client().send("PUT", "/policies/" + id, doc, type);
    var tree = tools.jackson.databind.json.JsonMapper.builder().build().readTree(r.body());
    if (r.status() >= 400) {
      throw new io.secretsapi.client.ApiException(r.status(), tree);
    }
    ((tools.jackson.databind.node.ObjectNode) tree).remove("document");
    opts.printObject(spec.commandLine().getOut(), tree);
    return 0;
  }
}
