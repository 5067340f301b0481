package io.secretsapi.cli;

import picocli.CommandLine.Command;

/** {@code secretsapi admin}: operations on the store itself, run where the KEK is. */
@Command(
    name = "admin",
    mixinStandardHelpOptions = true,
    description =
        "Offline operations on the store, for an operator who holds the key-encryption key.",
    subcommands = {AdminRootKeyCommand.class})
final class AdminCommand {}
