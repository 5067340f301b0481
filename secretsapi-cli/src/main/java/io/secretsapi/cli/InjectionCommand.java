package io.secretsapi.cli;

import picocli.CommandLine.Command;

/** {@code secretsapi injection ...}: where the proxy and validation put a secret's value. */
@Command(
    name = "injection",
    mixinStandardHelpOptions = true,
    description = "Set where the proxy injects a secret (header, basic, query), or clear it.",
    subcommands = {InjectionSetCommand.class, InjectionClearCommand.class})
final class InjectionCommand {}
