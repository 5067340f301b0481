package io.secretsapi.cli;

import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code secretsapi engine bind ENGINE PACKAGE}: POST /engines/{id}/bindings. */
@Command(
    name = "bind",
    mixinStandardHelpOptions = true,
    description =
        "Bind a package to an engine: its principals may issue exactly the package's scopes,"
            + " through a new version of the policy set engine-ENGINE. Needs policies:write.")
final class EngineBindCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "ENGINE", description = "Engine id (eng_...)")
  String id;

  @Parameters(index = "1", paramLabel = "PACKAGE", description = "Package id (pkg_...)")
  String pkg;

  @Override
  public Integer call() {
    return show("POST", "/engines/" + seg(id) + "/bindings", Map.of("package_id", pkg));
  }
}
