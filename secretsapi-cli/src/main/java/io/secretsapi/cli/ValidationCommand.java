package io.secretsapi.cli;

import picocli.CommandLine.Command;

/** {@code secretsapi validation ...}: probe a stored key against its provider. */
@Command(
    name = "validation",
    mixinStandardHelpOptions = true,
    description = "Probe a stored key, read the last result, set where probes go.",
    subcommands = {
      ValidationRunCommand.class,
      ValidationShowCommand.class,
      ValidationSetEndpointCommand.class,
      ValidationClearEndpointCommand.class
    })
final class ValidationCommand {}
