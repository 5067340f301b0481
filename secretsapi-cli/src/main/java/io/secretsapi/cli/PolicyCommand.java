package io.secretsapi.cli;

import picocli.CommandLine.Command;

/** {@code secretsapi policy ...}: versioned policy sets. */
@Command(
    name = "policy",
    mixinStandardHelpOptions = true,
    description = "Apply, test and diff policy sets.",
    subcommands = {PolicyApplyCommand.class, PolicyTestCommand.class, PolicyDiffCommand.class})
final class PolicyCommand {}
