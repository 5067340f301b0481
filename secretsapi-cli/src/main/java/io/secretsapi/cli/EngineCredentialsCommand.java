package io.secretsapi.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code secretsapi engine credentials ENGINE}: GET /engines/{id}/credentials. */
@Command(
    name = "credentials",
    mixinStandardHelpOptions = true,
    description =
        "The engine's credential vault: provider, scope, status, next rotation and validation of"
            + " each secret its packages give it; masked values only.")
final class EngineCredentialsCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "ENGINE", description = "Engine id (eng_...)")
  String id;

  @Override
  public Integer call() {
    return list(
        "/engines/" + seg(id) + "/credentials",
        col("SECRET", "name"),
        col("PROVIDER", "provider"),
        col("SCOPE", "scope"),
        col("STATUS", "status"),
        col("NEXT ROTATION", "next_rotation"),
        col("VALIDATION", "validation"),
        col("MASKED", "masked"));
  }
}
