package io.secretsapi.cli;

import io.secretsapi.SecretsApiException;
import io.secretsapi.client.ApiException;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code secretsapi} command: the broker's server and a CLI that mirrors its API. */
@Command(
    name = "secretsapi",
    mixinStandardHelpOptions = true,
    version = "secretsapi 0.1.0",
    description =
        "Credential broker for AI-assisted systems: the secret stays, the authorization travels.",
    footer = {
      "",
      "Exit codes: 0 done, 1 refused or failed (the broker's answer or a local error), 2 usage;",
      "run exits with its command's code."
    })
public final class Main {
  /**
   * The top-level commands, in the order help lists them. Only the one named on the command line is
   * built (picocli reads every command class of the tree it builds, which is most of a CLI call's
   * start-up); help and an unknown name build them all.
   */
  static final List<Class<?>> COMMANDS =
      List.of(
          ServerCommand.class,
          AdminCommand.class,
          SecretCommand.class,
          ApiKeyCommand.class,
          ServiceAccountCommand.class,
          KekCommand.class,
          TokenCommand.class,
          PolicyCommand.class,
          AuditCommand.class,
          EventsCommand.class,
          RunCommand.class,
          EnvCommand.class);

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and answers the exit code (0 ok, 1 refused by the broker, 2 usage). */
  public static int run(String... args) {
    return run(
        new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
  }

  /** Runs the command line writing to {@code out} and {@code err}. */
  public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    CommandLine cli = commandLine(args);
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          if (e instanceof ApiException a) {
            var p = a.problem();
            String field =
                p != null && p.has("field") ? " (field: " + p.get("field").asString() + ")" : "";
            cmd.getErr()
                .println(
                    "error: "
                        + a.status()
                        + " "
                        + text(p, "title")
                        + ": "
                        + text(p, "detail")
                        + field);
            return 1;
          }
          if (e instanceof SecretsApiException
              || e instanceof java.io.UncheckedIOException
              || e instanceof IllegalArgumentException) {
            cmd.getErr().println("error: " + e.getMessage());
            return 1;
          }
          throw e;
        });
    return cli.execute(args);
  }

  /** The command tree for {@code args}: the root, and the top-level command they name. */
  static CommandLine commandLine(String... args) {
    CommandLine cli = new CommandLine(new Main());
    String first = args.length > 0 ? args[0] : "";
    Class<?> named =
        COMMANDS.stream().filter(c -> names(c).contains(first)).findFirst().orElse(null);
    for (Class<?> c : COMMANDS) {
      if (named == null || c == named) {
        cli.addSubcommand(c);
      }
    }
    return cli;
  }

  private static List<String> names(Class<?> command) {
    Command c = command.getAnnotation(Command.class);
    List<String> names = new java.util.ArrayList<>(List.of(c.aliases()));
    names.add(c.name());
    return names;
  }

  private static String text(tools.jackson.databind.JsonNode p, String f) {
    return p != null && p.has(f) ? p.get(f).asString() : "";
  }
}
