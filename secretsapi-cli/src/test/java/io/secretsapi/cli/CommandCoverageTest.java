package io.secretsapi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.server.TestServer;
import io.secretsapi.testing.TestStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every endpoint of the broker's route table has a CLI command, and every command that calls the
 * broker is the command of an endpoint: a route added without a command, a command renamed or
 * removed, or a command for a route that is gone fails here. The help of every command describes
 * every option and argument, and every command prints {@code -o json} and {@code -o table}.
 */
class CommandCoverageTest {
  /** Route (as the route table spells it) to the command that calls it. */
  static final Map<String, String> COMMANDS =
      Map.ofEntries(
          Map.entry("POST /secrets", "secret put"),
          Map.entry("GET /secrets", "secret list"),
          Map.entry("GET /secrets/{id}", "secret get"),
          Map.entry("PUT /secrets/{id}/value", "secret set-value"),
          Map.entry("PUT /secrets/{id}/injection", "injection set"),
          Map.entry("DELETE /secrets/{id}/injection", "injection clear"),
          Map.entry("GET /secrets/{id}/versions", "secret versions"),
          Map.entry("POST /secrets/{id}/rotate", "secret rotate"),
          Map.entry("DELETE /secrets/{id}", "secret delete"),
          Map.entry("POST /secrets/{id}/scope", "scope create"),
          Map.entry("GET /secrets/{id}/scopes", "scope list"),
          Map.entry("DELETE /secrets/{id}/scopes/{name}", "scope delete"),
          Map.entry("POST /secrets/{id}/validate", "validation run"),
          Map.entry("GET /secrets/{id}/validation", "validation show"),
          Map.entry("PUT /secrets/{id}/validation-endpoint", "validation set-endpoint"),
          Map.entry("DELETE /secrets/{id}/validation-endpoint", "validation clear-endpoint"),
          Map.entry("POST /service-accounts", "service-account create"),
          Map.entry("GET /service-accounts", "service-account list"),
          Map.entry("POST /service-accounts/{id}/revoke", "service-account revoke"),
          Map.entry("POST /api-keys", "apikey create"),
          Map.entry("GET /api-keys", "apikey list"),
          Map.entry("GET /api-keys/{id}", "apikey get"),
          Map.entry("POST /api-keys/{id}/rotate", "apikey rotate"),
          Map.entry("POST /api-keys/{id}/revoke", "apikey revoke"),
          Map.entry("POST /admin/kek/rotate", "kek rotate"),
          Map.entry("POST /tokens/issue", "token issue"),
          Map.entry("POST /tokens/derive", "token derive"),
          Map.entry("POST /tokens/introspect", "token introspect"),
          Map.entry("POST /tokens/resolve", "token resolve"),
          Map.entry("GET /tokens", "token list"),
          Map.entry("GET /tokens/{id}", "token get"),
          Map.entry("GET /tokens/{id}/lineage", "token lineage"),
          Map.entry("POST /access/revoke", "token revoke"),
          Map.entry("GET /.well-known/jwks.json", "token-key list"),
          Map.entry("POST /admin/token-keys/rotate", "token-key rotate"),
          Map.entry("PUT /policies/{id}", "policy apply"),
          Map.entry("GET /policies", "policy list"),
          Map.entry("GET /policies/{id}", "policy get"),
          Map.entry("GET /policies/{id}/versions", "policy versions"),
          Map.entry("GET /policies/{id}/diff", "policy diff"),
          Map.entry("POST /policies/test", "policy test"),
          Map.entry("GET /audit/trail", "audit trail"),
          Map.entry("GET /audit/export", "audit export"),
          Map.entry("GET /audit/checkpoints", "audit checkpoint list"),
          Map.entry("POST /audit/checkpoints", "audit checkpoint create"),
          Map.entry("GET /audit/jwks.json", "audit keys"),
          Map.entry("GET /audit/proof/inclusion", "audit proof inclusion"),
          Map.entry("GET /audit/proof/consistency", "audit proof consistency"),
          Map.entry("GET /access/events", "events"),
          Map.entry("POST /webhooks", "webhook create"),
          Map.entry("GET /webhooks", "webhook list"),
          Map.entry("GET /webhooks/{id}", "webhook get"),
          Map.entry("DELETE /webhooks/{id}", "webhook delete"),
          Map.entry("GET /webhooks/{id}/deliveries", "webhook deliveries"),
          Map.entry("POST /incidents", "incident open"),
          Map.entry("GET /incidents", "incident list"),
          Map.entry("GET /incidents/{id}", "incident get"),
          Map.entry("POST /incidents/{id}/close", "incident close"),
          Map.entry("GET /approvals", "approval list"),
          Map.entry("GET /approvals/{id}", "approval get"),
          Map.entry("POST /approvals/{id}/approve", "approval approve"),
          Map.entry("POST /approvals/{id}/deny", "approval deny"),
          Map.entry("GET /health/ready", "status"),
          Map.entry("GET /metrics", "metrics"),
          Map.entry("GET /openapi.json", "openapi"),
          Map.entry("GET /rotations", "rotation list"),
          Map.entry("GET /rotations/{id}", "rotation get"),
          Map.entry("GET /secrets/{id}/rotation", "rotation settings"),
          Map.entry("PUT /secrets/{id}/rotation", "rotation configure"),
          Map.entry("GET /exposure", "exposure list"),
          Map.entry("GET /secrets/{id}/exposure", "exposure get"),
          Map.entry("GET /exposure/thresholds", "exposure thresholds"),
          Map.entry("PUT /exposure/thresholds", "exposure set-threshold"),
          Map.entry("GET /topology", "topology"),
          Map.entry("PUT /topology/zones/{name}", "topology zone set"),
          Map.entry("DELETE /topology/zones/{name}", "topology zone delete"),
          Map.entry("POST /packages", "package create"),
          Map.entry("GET /packages", "package list"),
          Map.entry("GET /packages/{id}", "package get"),
          Map.entry("PUT /packages/{id}", "package update"),
          Map.entry("DELETE /packages/{id}", "package delete"),
          Map.entry("POST /engines", "engine create"),
          Map.entry("GET /engines", "engine list"),
          Map.entry("GET /engines/{id}", "engine get"),
          Map.entry("PATCH /engines/{id}", "engine update"),
          Map.entry("POST /engines/{id}/bindings", "engine bind"),
          Map.entry("DELETE /engines/{id}/bindings/{package_id}", "engine unbind"),
          Map.entry("GET /engines/{id}/credentials", "engine credentials"));

  /** Routes with no command of their own, each for a stated reason. */
  static final Map<String, String> NO_COMMAND =
      Map.of(
          "GET /health/live", "liveness is for orchestrators; status reads readiness",
          "/proxy/", "the proxy is called by agents' SDKs through their base URL, not by a person",
          "/.well-known/oauth-protected-resource",
              "MCP clients read it to learn how /mcp is authorized (RFC 9728), not a person");

  /**
   * Commands that are not the command of one endpoint: they run offline, or compose several calls.
   * A new command of that kind is added here with its reason (the lead adds {@code run}, {@code
   * env} and {@code admin root-key} at merge).
   */
  static final Map<String, String> NOT_ONE_ENDPOINT =
      Map.of(
          "server", "runs the broker",
          "audit verify", "verifies an export offline",
          "audit tail", "follows GET /audit/trail after a POST /audit/checkpoints",
          "admin root-key", "mints an admin key offline, in the store, with the KEK",
          "run", "POST /tokens/issue, the proxy for its command, then POST /access/revoke",
          "env", "POST /tokens/issue, printed as export lines");

  @Test
  void routeTable_everyEndpoint_hasACommandAndEveryCommandAnEndpoint() {
    List<String> routes;
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      routes = s.server().endpoints();
    }
    Set<String> commands = leafCommands();
    List<String> withoutCommand = new ArrayList<>();
    for (String route : routes) {
      boolean exempt = NO_COMMAND.keySet().stream().anyMatch(route::contains);
      if (!exempt && !COMMANDS.containsKey(route)) {
        withoutCommand.add(route);
      }
    }
    Set<String> gone = new TreeSet<>(COMMANDS.keySet());
    gone.removeAll(routes);
    Set<String> missing = new TreeSet<>(COMMANDS.values());
    missing.removeAll(commands);
    Set<String> stray = new TreeSet<>(commands);
    stray.removeAll(COMMANDS.values());
    stray.removeAll(NOT_ONE_ENDPOINT.keySet());

    assertThat(withoutCommand).as("routes without a CLI command").isEmpty();
    assertThat(gone).as("routes in this map that the broker no longer has").isEmpty();
    assertThat(missing).as("commands in this map that the CLI does not have").isEmpty();
    assertThat(stray).as("commands that call no endpoint of this map").isEmpty();
    assertThat(NOT_ONE_ENDPOINT.keySet()).allMatch(commands::contains);
  }

  @Test
  void help_everyOptionAndArgument_isDescribed() {
    List<String> undescribed = new ArrayList<>();
    walk(
        Main.commandLine(),
        cmd -> {
          String path = cmd.getCommandSpec().qualifiedName();
          if (String.join("", cmd.getCommandSpec().usageMessage().description()).isBlank()) {
            undescribed.add(path);
          }
          for (var o : cmd.getCommandSpec().options()) {
            if (String.join("", o.description()).isBlank()) {
              undescribed.add(path + " " + o.longestName());
            }
          }
          for (var p : cmd.getCommandSpec().positionalParameters()) {
            if (String.join("", p.description()).isBlank()) {
              undescribed.add(path + " " + p.paramLabel());
            }
          }
        });
    assertThat(undescribed).isEmpty();
  }

  /**
   * Commands without {@code -o}, each with the reason (a command whose output is another program's,
   * such as {@code run}, belongs here).
   */
  static final Map<String, String> NO_OUTPUT_OPTION =
      Map.of(
          "server", "prints the broker's log, one line a record",
          "admin root-key", "prints the new key once, for a person to copy",
          "run", "its output is its command's");

  @Test
  void output_everyCommandButTheServer_takesJsonOrTable() {
    List<String> without = new ArrayList<>();
    for (String command : leafCommands()) {
      CommandLine cmd = find(command);
      if (!NO_OUTPUT_OPTION.containsKey(command)
          && cmd.getCommandSpec().findOption("--output") == null) {
        without.add(command);
      }
    }
    assertThat(without).isEmpty();
  }

  @Test
  void help_footer_listsTheExitCodes() {
    var out = new java.io.StringWriter();
    int code =
        Main.run(
            new java.io.PrintWriter(out),
            new java.io.PrintWriter(new java.io.StringWriter()),
            "--help");
    assertThat(code).isZero();
    assertThat(out.toString())
        .contains("Exit codes:")
        .contains("0  done")
        .contains("1  refused by the broker")
        .contains("2  usage")
        .contains("4  the broker could not be reached");
  }

  /** Every runnable command, as the words a person types after {@code secretsapi}. */
  static Set<String> leafCommands() {
    Set<String> leaves = new HashSet<>();
    walk(
        Main.commandLine(),
        cmd -> {
          // a command with subcommands that also runs itself ("topology") is a command too
          if (cmd.getSubcommands().isEmpty()
              || cmd.getCommandSpec().userObject() instanceof java.util.concurrent.Callable) {
            leaves.add(cmd.getCommandSpec().qualifiedName().replaceFirst("^secretsapi ", ""));
          }
        });
    return leaves;
  }

  private static CommandLine find(String path) {
    CommandLine c = Main.commandLine();
    for (String word : path.split(" ")) {
      c = c.getSubcommands().get(word);
    }
    return c;
  }

  private static void walk(CommandLine cmd, java.util.function.Consumer<CommandLine> visit) {
    visit.accept(cmd);
    for (CommandLine sub : new java.util.LinkedHashSet<>(cmd.getSubcommands().values())) {
      walk(sub, visit);
    }
  }
}
