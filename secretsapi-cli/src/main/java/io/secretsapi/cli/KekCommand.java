package io.secretsapi.cli;

import picocli.CommandLine.Command;

/** {@code secretsapi kek ...}: the key-encryption key. */
@Command(
    name = "kek",
    mixinStandardHelpOptions = true,
    description = "Manage the key-encryption key.",
    subcommands = {KekRotateCommand.class})
final class KekCommand {}
