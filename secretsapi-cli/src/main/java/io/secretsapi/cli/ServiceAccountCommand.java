package io.secretsapi.cli;

import picocli.CommandLine.Command;

/** {@code secretsapi service-account ...}. */
@Command(
    name = "service-account",
    mixinStandardHelpOptions = true,
    description = "Create and list service accounts.",
    subcommands = {ServiceAccountCreateCommand.class, ServiceAccountListCommand.class})
final class ServiceAccountCommand {}
