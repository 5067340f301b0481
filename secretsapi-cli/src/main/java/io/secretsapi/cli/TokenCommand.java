package io.secretsapi.cli;

import picocli.CommandLine.Command;

/** {@code secretsapi token ...}: scoped tokens. */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = "Issue, derive, introspect, resolve, revoke, show, trace and list scoped tokens.",
    subcommands = {
      TokenIssueCommand.class,
      TokenDeriveCommand.class,
      TokenIntrospectCommand.class,
      TokenResolveCommand.class,
      TokenRevokeCommand.class,
      TokenGetCommand.class,
      TokenLineageCommand.class,
      TokenListCommand.class
    })
final class TokenCommand {}
