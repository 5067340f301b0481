package io.secretsapi.cli;

import picocli.CommandLine.Command;

/** {@code secretsapi policy ...}: versioned policy sets. */
@Command(
    name = "policy",
    mixinStandardHelpOptions = true,
    description = "Apply, list, show, version, diff and test policy sets.",
    subcommands = {
      PolicyApplyCommand.class,
      PolicyListCommand.class,
      PolicyGetCommand.class,
      PolicyVersionsCommand.class,
      PolicyDiffCommand.class,
      PolicyTestCommand.class
    })
final class PolicyCommand {}
