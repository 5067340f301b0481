package io.secretsapi.cli;

import picocli.CommandLine.Command;

/** {@code secretsapi scope ...}: the narrow uses of a secret that tokens are issued for. */
@Command(
    name = "scope",
    mixinStandardHelpOptions = true,
    description = "Define, list and delete the scopes of a secret (one resource, one use).",
    subcommands = {ScopeCreateCommand.class, ScopeListCommand.class, ScopeDeleteCommand.class})
final class ScopeCommand {}
