package io.secretsapi.cli;

import picocli.CommandLine.Command;

/** {@code secretsapi token-key ...}: the Ed25519 keys that sign scoped tokens. */
@Command(
    name = "token-key",
    mixinStandardHelpOptions = true,
    description = "List the public keys that sign tokens, or start signing with a new one.",
    subcommands = {TokenKeyListCommand.class, TokenKeyRotateCommand.class})
final class TokenKeyCommand {}
