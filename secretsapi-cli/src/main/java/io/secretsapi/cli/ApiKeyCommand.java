package io.secretsapi.cli;

import java.util.List;
import picocli.CommandLine.Command;

/** {@code secretsapi apikey ...}: control-plane API keys. */
@Command(
    name = "apikey",
    mixinStandardHelpOptions = true,
    description = "Create, list, show, rotate and revoke API keys.",
    subcommands = {
      ApiKeyCreateCommand.class,
      ApiKeyListCommand.class,
      ApiKeyGetCommand.class,
      ApiKeyRotateCommand.class,
      ApiKeyRevokeCommand.class
    })
final class ApiKeyCommand {
  static final List<ClientOptions.Column> COLUMNS =
      List.of(
          new ClientOptions.Column("ID", "id"),
          new ClientOptions.Column("ACCOUNT", "service_account_id"),
          new ClientOptions.Column("NAME", "name"),
          new ClientOptions.Column("SCOPES", "scopes"),
          new ClientOptions.Column("STATUS", "status"),
          new ClientOptions.Column("LAST USED", "last_used_at"),
          new ClientOptions.Column("USES", "use_count"));
}
