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

  @Option(
      names = "--inject-header",
      paramLabel = "NAME",
      description = "Inject the value into header NAME instead of the provider's preset")
  String injectHeader;

  @Option(names = "--inject-basic", description = "Inject the value as HTTP basic")
  boolean injectBasic;

  @Option(
      names = "--inject-query",
      paramLabel = "NAME",
      description = "Inject the value as query parameter NAME (only for providers that need it)")
  String injectQuery;

  @Option(
      names = "--inject-template",
      paramLabel = "TEMPLATE",
      description =
          "The header's value, or basic's user:password pair, around {value}, such as 'Token"
              + " {value}'")
  String injectTemplate;

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
    injection().ifPresent(i -> body.put("injection", i));
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

  /** The {@code injection} object the --inject options name, if any. */
  private java.util.Optional<Map<String, Object>> injection() {
    int given =
        (injectHeader != null ? 1 : 0) + (injectBasic ? 1 : 0) + (injectQuery != null ? 1 : 0);
    if (given > 1) {
      throw new IllegalArgumentException(
          "give at most one of --inject-header, --inject-basic, --inject-query");
    }
    if (given == 0) {
      if (injectTemplate != null) {
        throw new IllegalArgumentException(
            "--inject-template goes with --inject-header or --inject-basic");
      }
      return java.util.Optional.empty();
    }
    Map<String, Object> i = new LinkedHashMap<>();
    i.put("in", injectHeader != null ? "header" : injectBasic ? "basic" : "query");
    if (injectHeader != null || injectQuery != null) {
      i.put("name", injectHeader != null ? injectHeader : injectQuery);
    }
    if (injectTemplate != null) {
      i.put("template", injectTemplate);
    }
    return java.util.Optional.of(i);
  }
}
