package io.secretsapi.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code secretsapi secret put NAME ...}: store a secret (POST /secrets). */
@Command(
    name = "put",
    mixinStandardHelpOptions = true,
    description = "Store a secret; prints its masked view.")
final class SecretPutCommand implements Callable<Integer> {
  @Mixin ClientOptions opts;
  @Spec CommandSpec spec;

  @Parameters(index = "0", description = "Name, such as openai-prod-key")
  String name;

  @Option(names = "--provider", required = true, description = "Provider, such as openai")
  String provider;

  @Option(
      names = "--resource-class",
      required = true,
      description = "Resource class, such as model-access")
  String resourceClass;

  @Option(
      names = "--environment",
      defaultValue = "production",
      description = "Environment (default ${DEFAULT-VALUE})")
  String environment;

  @Option(names = "--owner", description = "Owner team, such as 'AI Platform'")
  String owner;

  @Option(names = "--tag", description = "A tag (repeatable)")
  List<String> tags;

  @Option(
      names = "--value-file",
      paramLabel = "FILE",
      description = "Read the value from FILE, or '-' for standard input")
  String valueFile;

  @Option(
      names = "--value",
      description = "The value itself (visible in shell history; prefer --value-file)")
  String value;

  @Option(names = "--generate", description = "Let the broker generate the value (kind generated)")
  boolean generate;

  @Override
  public Integer call() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("provider", provider);
    body.put("resource_class", resourceClass);
    body.put("environment", environment);
    if (owner != null) {
      body.put("owner", owner);
    }
    if (tags != null) {
      body.put("tags", tags);
    }
    if (generate) {
      body.put("kind", "generated");
    } else {
      body.put(
          "value",
          SecretValues.read(value, valueFile)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "give --value-file FILE (or -), --value, or --generate")));
    }
    opts.printObject(spec.commandLine().getOut(), opts.client().createSecret(body));
    return 0;
  }
}
