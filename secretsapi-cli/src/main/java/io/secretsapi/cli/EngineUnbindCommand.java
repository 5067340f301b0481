package io.secretsapi.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code secretsapi engine unbind ENGINE PACKAGE}: DELETE /engines/{id}/bindings/{package_id}. */
@Command(
    name = "unbind",
    mixinStandardHelpOptions = true,
    description =
        "Unbind a package from an engine: its scopes are no longer allowed, and the engine's live"
            + " grants of them are revoked. Needs policies:write.")
final class EngineUnbindCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "ENGINE", description = "Engine id (eng_...)")
  String id;

  @Parameters(index = "1", paramLabel = "PACKAGE", description = "Package id (pkg_...)")
  String pkg;

  @Override
  public Integer call() {
    return show("DELETE", "/engines/" + seg(id) + "/bindings/" + seg(pkg), null);
  }
}
