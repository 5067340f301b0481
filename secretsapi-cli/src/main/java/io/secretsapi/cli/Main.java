package io.secretsapi.cli;

import io.secretsapi.SecretsApiException;
import io.secretsapi.client.ApiException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code secretsapi} command: the broker's server and a CLI that mirrors its API. */
@Command(
    name = "secretsapi",
    mixinStandardHelpOptions = true,
    version = "secretsapi 0.1.0",
    description =
        "Credential broker for AI-assisted systems: the secret stays, the authorization travels.",
    subcommands = {
      ServerCommand.class,
      SecretCommand.class,
      ApiKeyCommand.class,
      ServiceAccountCommand.class,
      KekCommand.class,
      TokenCommand.class,
      PolicyCommand.class,
      AuditCommand.class,
      EventsCommand.class,
      RunCommand.class,
      EnvCommand.class
    })
public final class Main {
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
    CommandLine cli = new CommandLine(new Main());
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

  private static String text(tools.jackson.databind.JsonNode p, String f) {
    return p != null && p.has(f) ? p.get(f).asString() : "";
  }
}
