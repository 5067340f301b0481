package io.secretsapi.cli;

import static io.secretsapi.cli.CliTest.field;
import static io.secretsapi.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.server.TestServer;
import io.secretsapi.testing.TestDatabases;
import io.secretsapi.testing.TestStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The commands of the endpoints that had none, each run with {@code -o table} and {@code -o json}
 * against a real broker: both exit 0, the JSON parses, and the table holds no JSON.
 */
class CommandsCliTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void everyNewCommand_tableAndJson_exitZeroAndTablesHoldNoJson() throws Exception {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      Path dir = TestDatabases.tempDir("cmds-");
      Path value = dir.resolve("v.txt");
      Files.writeString(value, "sk-proj-cmds-0123456789abcdef");
      Path policy = dir.resolve("policy.yaml");
      Files.writeString(
          policy,
          "rules:\n  - id: root-all\n    effect: allow\n    principals: [root]\n"
              + "    operations: ['*']\n");
      Path token = dir.resolve("token.jwt");
      List<String[]> commands = new ArrayList<>();
      check(
          s,
          "secret",
          "put",
          "openai-prod-key",
          "--provider",
          "openai",
          "--resource-class",
          "model-access",
          "--value-file",
          value.toString());
      check(
          s,
          "scope",
          "create",
          "openai-prod-key",
          "model-access",
          "--operations",
          "proxy,reveal,derive",
          "--host",
          "api.openai.com",
          "--method",
          "POST",
          "--path-prefix",
          "/v1",
          "--max-ttl",
          "15m");
      check(s, "policy", "apply", "KEY-SCOPE-17", "-f", policy.toString());
      assertThat(
              run(
                      s,
                      "token",
                      "issue",
                      "--secret",
                      "openai-prod-key",
                      "--scope",
                      "model-access",
                      "--token-out",
                      token.toString())
                  .code())
          .isZero();
      commands.add(new String[] {"scope", "list", "openai-prod-key"});
      commands.add(new String[] {"injection", "set", "openai-prod-key", "--header", "api-key"});
      commands.add(new String[] {"injection", "clear", "openai-prod-key"});
      commands.add(new String[] {"validation", "show", "openai-prod-key"});
      commands.add(
          new String[] {
            "secret", "set-value", "openai-prod-key", "--value-file", value.toString()
          });
      commands.add(new String[] {"apikey", "list"});
      commands.add(new String[] {"policy", "list"});
      commands.add(new String[] {"policy", "get", "KEY-SCOPE-17"});
      commands.add(new String[] {"policy", "versions", "KEY-SCOPE-17"});
      commands.add(
          new String[] {
            "policy",
            "test",
            "--principal",
            "root",
            "--operation",
            "issue",
            "--secret",
            "openai-prod-key"
          });
      commands.add(new String[] {"token", "get", token.toString()});
      commands.add(new String[] {"token", "list", "--secret", "openai-prod-key"});
      commands.add(new String[] {"token-key", "list"});
      commands.add(new String[] {"token-key", "rotate"});
      commands.add(new String[] {"audit", "checkpoint", "create"});
      commands.add(new String[] {"audit", "checkpoint", "list"});
      commands.add(
          new String[] {"audit", "proof", "inclusion", "--offset", "1", "--tree-size", "2"});
      commands.add(new String[] {"audit", "proof", "consistency", "--from", "1", "--to", "2"});
      commands.add(new String[] {"audit", "keys"});
      commands.add(new String[] {"audit", "trail", "--secret", "openai-prod-key"});
      commands.add(new String[] {"audit", "tail", "-n", "3", "--count", "3"});
      commands.add(new String[] {"events", "--after", "0", "--count", "2"});
      commands.add(new String[] {"status"});
      commands.add(new String[] {"metrics", "--grep", "http"});
      commands.add(new String[] {"openapi"});
      for (String[] c : commands) {
        check(s, c);
      }
      check(s, "scope", "delete", "openai-prod-key", "model-access");
    }
  }

  /** Runs a command as a table and as JSON: both succeed, and only the JSON holds JSON. */
  private static void check(TestServer s, String... args) {
    String label = String.join(" ", args);
    CliTest.Run table = run(s, concat(args, "-o", "table"));
    assertThat(table.code()).as(label + " -o table: " + table.err()).isZero();
    assertThat(table.out()).as(label + " -o table").doesNotContain("{\"").doesNotContain("\":");
    if (args[0].equals("secret") && args[1].equals("put")
        || args[0].equals("scope") && args[1].equals("create")
        || args[0].equals("scope") && args[1].equals("delete")
        || args[0].equals("policy") && args[1].equals("apply")) {
      return; // a second run would change what the first made
    }
    CliTest.Run json = run(s, concat(args, "-o", "json"));
    assertThat(json.code()).as(label + " -o json: " + json.err()).isZero();
    for (String line : streams(args) ? json.out().split("\n") : new String[] {json.out()}) {
      assertThat(JSON.readTree(line)).as(label + " -o json").isNotNull();
    }
  }

  private static boolean streams(String[] args) {
    return args[0].equals("events") || args[0].equals("audit") && args[1].equals("tail");
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  @Test
  void tokenIssue_tokenOut_writesTheTokenToAnOwnerOnlyFileNotTheTerminal() throws Exception {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      Path dir = TestDatabases.tempDir("cmds-");
      Path value = dir.resolve("v.txt");
      Files.writeString(value, "sk-proj-cmds-0123456789abcdef");
      run(
          s,
          "secret",
          "put",
          "openai-prod-key",
          "--provider",
          "openai",
          "--resource-class",
          "model-access",
          "--value-file",
          value.toString());
      run(s, "scope", "create", "openai-prod-key", "model-access", "--operations", "reveal");
      Files.writeString(
          dir.resolve("p.yaml"),
          "rules:\n  - id: r\n    effect: allow\n"
              + "    principals: [root]\n    operations: ['*']\n");
      run(s, "policy", "apply", "P", "-f", dir.resolve("p.yaml").toString());
      Path token = dir.resolve("token.jwt");

      CliTest.Run issue =
          run(
              s,
              "token",
              "issue",
              "--secret",
              "openai-prod-key",
              "--scope",
              "model-access",
              "--token-out",
              token.toString());
      CliTest.Run lineage = run(s, "token", "lineage", token.toString());

      assertThat(issue.code()).as(issue.err()).isZero();
      assertThat(field(issue.out(), "token")).isEqualTo("written");
      assertThat(issue.out()).doesNotContain(Files.readString(token).strip());
      assertThat(Files.getPosixFilePermissions(token))
          .containsExactlyInAnyOrder(
              java.nio.file.attribute.PosixFilePermission.OWNER_READ,
              java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
      assertThat(lineage.out()).contains(field(issue.out(), "token_id"));
    }
  }
}
