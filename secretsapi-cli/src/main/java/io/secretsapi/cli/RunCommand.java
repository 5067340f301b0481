package io.secretsapi.cli;

import io.secretsapi.client.SecretsApiClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code secretsapi run}: starts a command with a scoped token as its provider API key and a base
 * URL on a loopback forwarder that sends its calls to the broker's proxy with a token renewed
 * before expiry; revokes every token issued when the command ends, however it ends. See design
 * record 0017.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Start a command with a scoped token instead of a provider key.",
      "The command's SDK variables (OPENAI_BASE_URL and OPENAI_API_KEY, ANTHROPIC_BASE_URL and"
          + " ANTHROPIC_API_KEY, and always SECRETSAPI_PROXY_URL and SECRETSAPI_PROXY_TOKEN) point"
          + " at a forwarder on 127.0.0.1 that sends its calls to the broker's proxy. The token is"
          + " renewed at half its life while the command runs, so a command that outlives --ttl"
          + " keeps working; every token is revoked when the command exits. SECRETSAPI_TOKEN is"
          + " removed from the command's environment. The exit code is the command's (128 +"
          + " signal when a signal ended it)."
    })
final class RunCommand implements Callable<Integer> {
  @Mixin BrokerOptions broker;
  @Mixin IntentOptions intent;
  @Spec CommandSpec spec;

  @Parameters(
      arity = "1..*",
      paramLabel = "COMMAND",
      description = "The command to start and its arguments, after --")
  List<String> command;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    SecretsApiClient client = broker.client();
    Intent in = Intent.of(client, intent);
    Intent.Issued first = in.issue(client);
    TokenLease lease = new TokenLease(client, in, first, err);
    AtomicReference<Process> child = new AtomicReference<>();
    AtomicReference<Forwarder> forwarder = new AtomicReference<>();
    Thread hook = cleanupOnExit(child, forwarder, lease);
    try {
      String host = in.host(client, first);
      forwarder.set(new Forwarder(broker.address(), first.token(), lease));
      String proxy = forwarder.get().address() + "/proxy/" + host;
      ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
      childEnvironment(
          pb.environment(), broker.token, ProviderEnv.variables(in.kind, proxy, first.token()));
      Process started;
      try {
        started = pb.start();
      } catch (IOException e) {
        err.println("secretsapi run: cannot start " + command.get(0) + ": " + e.getMessage());
        return 127;
      }
      child.set(started);
      try (ChildSignals signals = new ChildSignals(started)) {
        err.printf(
            "secretsapi run: token %s for secret %s (scope %s), renewed at half of %s;"
                + " base URL %s, forwarded to %s%n",
            first.tokenId(), in.secretId, intent.scope, intent.ttl, proxy, broker.address());
        err.flush();
        return waitFor(started);
      }
    } finally {
      cleanup(child.get(), forwarder.get(), lease);
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException exiting) {
        // the JVM is already exiting: the hook runs, and finds nothing left to do
      }
    }
  }

  /** Stops the command if it still runs, closes the forwarder, revokes every token. */
  private static void cleanup(Process child, Forwarder forwarder, TokenLease lease) {
    if (child != null && child.isAlive()) {
      child.destroy();
      try {
        child.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (forwarder != null) {
      forwarder.close();
    }
    lease.revokeAll();
  }

  /**
   * The command's environment: the caller's, without {@code SECRETSAPI_TOKEN}, without any variable
   * that holds the CLI's API key, and with the provider variables replaced by {@code variables}.
   */
  static void childEnvironment(
      Map<String, String> env, String apiKey, Map<String, String> variables) {
    env.remove("SECRETSAPI_TOKEN");
    if (apiKey != null && !apiKey.isBlank()) {
      env.entrySet().removeIf(e -> e.getValue().contains(apiKey));
    }
    ProviderEnv.PROVIDER_VARIABLES.forEach(env::remove);
    env.putAll(variables);
  }

  private static int waitFor(Process child) {
    while (true) {
      try {
        return child.waitFor();
      } catch (InterruptedException e) {
        // run waits for its command whatever happens; signals reach the command instead
      }
    }
  }

  /** Stops the command and revokes should the JVM exit some other way while {@code run} runs. */
  private static Thread cleanupOnExit(
      AtomicReference<Process> child, AtomicReference<Forwarder> forwarder, TokenLease lease) {
    Thread hook =
        new Thread(() -> cleanup(child.get(), forwarder.get(), lease), "secretsapi-run-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
    return hook;
  }
}
