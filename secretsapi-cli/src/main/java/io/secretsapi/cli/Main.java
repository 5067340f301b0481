package io.secretsapi.cli;

import io.secretsapi.SecretsApiException;
import io.secretsapi.client.ApiException;
import io.secretsapi.client.SecretsApiClient;
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
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  done: the broker allowed it (status: the broker is ready)",
      "  1  refused by the broker: a problem answer (403, 404, 409, 503...),",
      "     or a name that matches nothing",
      "  2  usage: a wrong option or argument, or a name that matches several",
      "  3  audit verify: the export does not verify",
      "  4  the broker could not be reached",
      "  run exits with its command's code.",
      "",
      "Where an id is asked for (secret, service account, API key, webhook),",
      "its name will do when it is unique (a webhook's URL). A whole API key",
      "is cut to its id on this machine and never sent."
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
          ScopeCommand.class,
          InjectionCommand.class,
          ValidationCommand.class,
          WebhookCommand.class,
          RotationCommand.class,
          TokenKeyCommand.class,
          StatusCommand.class,
          MetricsCommand.class,
          OpenApiCommand.class,
          RunCommand.class,
          EnvCommand.class,
          IncidentCommand.class,
          ApprovalCommand.class,
          ExposureCommand.class,
          TopologyCommand.class,
          PackageCommand.class,
          EngineCommand.class);

  /** The clients this process made, to close before it exits; kept only when run by main. */
  private static volatile List<SecretsApiClient> made;

  public static void main(String[] args) {
    made = new java.util.concurrent.CopyOnWriteArrayList<>();
    int code;
    try {
      code = run(args);
    } catch (Throwable t) { // an Error from a command (a class missing at start): never linger
      System.err.println("secretsapi: " + t);
      t.printStackTrace();
      code = 1;
    }
    // the JVM waits up to 300 ms at exit for threads in native code, such as the selector of an
    // HttpClient (the clients here send through URL connections, save for PATCH)
    made.forEach(SecretsApiClient::close);
    System.exit(code);
  }

  /** Records {@code client} to be closed when the process ends (see {@link #main}). */
  static SecretsApiClient made(SecretsApiClient client) {
    List<SecretsApiClient> m = made;
    if (m != null) {
      m.add(client);
    }
    return client;
  }

  /**
   * Runs the command line and answers the exit code: 0 done, 1 refused by the broker, 2 usage, see
   * --help.
   */
  public static int run(String... args) {
    return run(
        new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
  }

  /** Runs the command line writing to {@code out} and {@code err}. */
  public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    return run(out, err, java.util.Optional.empty(), args);
  }

  /**
   * Runs the command line with {@code env} standing in for the process environment where an
   * option's default names a variable ({@code SECRETSAPI_ADDR}, {@code SECRETSAPI_TOKEN}): for a
   * caller that runs several command lines in one process, each with its own environment.
   */
  static int run(
      java.io.PrintWriter out,
      java.io.PrintWriter err,
      java.util.Map<String, String> env,
      String... args) {
    return run(out, err, java.util.Optional.of(env), args);
  }

  private static int run(
      java.io.PrintWriter out,
      java.io.PrintWriter err,
      java.util.Optional<java.util.Map<String, String>> env,
      String... args) {
    CommandLine cli = commandLine(args);
    env.ifPresent(e -> cli.setDefaultValueProvider(new EnvDefaults(e)));
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          int code = exitCode(e); // rethrows what is not a known failure: picocli shows its trace
          cmd.getErr().println("error: " + message(e));
          cmd.getErr().flush();
          return code;
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

  /** The exit code for a failure, as the help footer lists them. */
  static int exitCode(Exception e) {
    if (e instanceof CliException c) {
      return c.exitCode();
    }
    if (e instanceof ApiException) {
      return CliException.REFUSED;
    }
    if (e instanceof java.io.UncheckedIOException u
        && String.valueOf(u.getMessage()).startsWith("cannot reach the broker")) {
      return CliException.UNREACHABLE;
    }
    if (e instanceof java.io.IOException || e instanceof java.io.UncheckedIOException) {
      return CliException.USAGE; // a file of the command line that cannot be read or written
    }
    if (e instanceof IllegalArgumentException) {
      return CliException.USAGE;
    }
    if (e instanceof SecretsApiException) {
      return CliException.REFUSED;
    }
    throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
  }

  private static String message(Exception e) {
    if (e instanceof ApiException a) {
      var p = a.problem();
      String field =
          p != null && p.has("field") ? " (field: " + p.get("field").asString() + ")" : "";
      return a.status() + " " + text(p, "title") + ": " + text(p, "detail") + field;
    }
    return e.getMessage();
  }

  private static String text(tools.jackson.databind.JsonNode p, String f) {
    return p != null && p.has(f) ? p.get(f).asString() : "";
  }
}
