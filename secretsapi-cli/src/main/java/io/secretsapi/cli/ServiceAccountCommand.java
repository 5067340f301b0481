package io.secretsapi.cli;

import picocli.CommandLine.Command;

/** {@code secretsapi service-account ...}. */
@Command(
    name = "service-account",
    mixinStandardHelpOptions = true,
    description = "Create, list and revoke service accounts.",
    subcommands = {
      ServiceAccountCreateCommand.class,
      ServiceAccountListCommand.class,
      ServiceAccountRevokeCommand.class
    })
final class ServiceAccountCommand {}
