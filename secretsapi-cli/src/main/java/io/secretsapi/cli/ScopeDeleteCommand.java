package io.secretsapi.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code secretsapi scope delete SECRET NAME}: DELETE /secrets/{id}/scopes/{name}. */
@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    description = "Delete a scope; tokens already issued keep their copy of its limits.")
final class ScopeDeleteCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "SECRET", description = "Secret name or id (sec_...)")
  String secret;

  @Parameters(index = "1", paramLabel = "NAME", description = "Scope name, such as model-access")
  String name;

  @Override
  public Integer call() {
    return show(
        "DELETE", "/secrets/" + seg(id(Names.Kind.SECRET, secret)) + "/scopes/" + seg(name), null);
  }
}
