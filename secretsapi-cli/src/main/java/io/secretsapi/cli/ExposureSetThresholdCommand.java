package io.secretsapi.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code secretsapi exposure set-threshold}: PUT /exposure/thresholds. */
@Command(
    name = "set-threshold",
    mixinStandardHelpOptions = true,
    description =
        "Set the exposure threshold of a secret, a policy or a resource class: a score reaching it"
            + " queues a rotation (or raises an incident) once per crossing.")
final class ExposureSetThresholdCommand extends ApiCommand {
  @ArgGroup(multiplicity = "1")
  Target target;

  static final class Target {
    @Option(names = "--secret", description = "Secret name or id (sec_...)")
    String secret;

    @Option(names = "--policy", description = "Policy id, such as KEY-SCOPE-17")
    String policy;

    @Option(names = "--resource-class", description = "Resource class, such as model-access")
    String resourceClass;
  }

  @Option(names = "--threshold", required = true, description = "Above 0, at most 1")
  double threshold;

  @Option(names = "--action", defaultValue = "rotate", description = "rotate or incident")
  String action;

  @Override
  public Integer call() {
    Map<String, Object> body = new LinkedHashMap<>();
    if (target.secret != null) {
      body.put("target_kind", "secret");
      body.put("target", id(Names.Kind.SECRET, target.secret));
    } else if (target.policy != null) {
      body.put("target_kind", "policy");
      body.put("target", target.policy);
    } else {
      body.put("target_kind", "resource_class");
      body.put("target", target.resourceClass);
    }
    body.put("threshold", threshold);
    body.put("action", action);
    return show("PUT", "/exposure/thresholds", body);
  }
}
