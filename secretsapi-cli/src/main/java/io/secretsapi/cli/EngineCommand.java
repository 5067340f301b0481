package io.secretsapi.cli;

import picocli.CommandLine.Command;

/** {@code secretsapi engine ...}: engines and their package bindings (docs/packages.md). */
@Command(
    name = "engine",
    mixinStandardHelpOptions = true,
    description =
        "Engines: deployed workloads, the packages bound to them, and their credential vault.",
    subcommands = {
      EngineCreateCommand.class,
      EngineListCommand.class,
      EngineGetCommand.class,
      EngineUpdateCommand.class,
      EngineBindCommand.class,
      EngineUnbindCommand.class,
      EngineCredentialsCommand.class
    })
final class EngineCommand {}
