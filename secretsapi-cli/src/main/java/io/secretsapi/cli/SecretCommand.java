package io.secretsapi.cli;

import picocli.CommandLine.Command;

/** {@code secretsapi secret ...}: the vault. */
@Command(
    name = "secret",
    mixinStandardHelpOptions = true,
    description = "Store, list, show, replace, rotate and seal secrets.",
    subcommands = {
      SecretPutCommand.class,
      SecretListCommand.class,
      SecretGetCommand.class,
      SecretSetValueCommand.class,
      SecretVersionsCommand.class,
      SecretRotateCommand.class,
      SecretDeleteCommand.class
    })
final class SecretCommand {}
