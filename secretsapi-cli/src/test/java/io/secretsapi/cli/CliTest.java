package io.secretsapi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.server.TestServer;
import io.secretsapi.testing.TestDatabases;
import io.secretsapi.testing.TestStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The CLI against a real broker: the commands an operator types, and what they print. */
class CliTest {
  /** What a command printed and answered. */
  record Run(int code, String out, String err) {}

  static Run run(TestServer s, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of(args));
    if (!List.of(args).contains("verify")) {
      all.add("--addr=" + s.server().baseUrl());
    }
    if (!List.of(args).contains("derive")
        && !List.of(args).contains("resolve")
        && !List.of(args).contains("verify")) {
      all.add("--token=" + s.rootKey());
    }
    int code =
        Main.run(
            new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  static String field(String out, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + "\\s+(\\S+)").matcher(out);
    assertThat(m.find()).as(name + " in\n" + out).isTrue();
    return m.group(1);
  }

  @Test
  void secretPut_injectOptions_storeTheSecretsOwnInjectionOrRefuseAMix() throws Exception {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      Path value = TestDatabases.tempDir("cli-").resolve("value.txt");
      Files.writeString(value, "AIza-cli-0123456789abcdef\n");
      String[] common = {
        "--provider", "gemini", "--resource-class", "model-access", "--value-file", value.toString()
      };
      Run put =
          run(
              s,
              concat(
                  new String[] {"secret", "put", "gemini-key", "--inject-query", "key"}, common));
      Run mixed =
          run(
              s,
              concat(
                  new String[] {
                    "secret", "put", "other", "--inject-query", "key", "--inject-header", "api-key"
                  },
                  common));

      assertThat(put.code()).as(put.err()).isZero();
      var injection =
          s.root().call("GET", "/secrets/" + field(put.out(), "id"), null).get("injection");
      assertThat(injection.get("in").asString()).isEqualTo("query");
      assertThat(injection.get("name").asString()).isEqualTo("key");
      assertThat(mixed.code()).isNotZero();
      assertThat(mixed.err()).contains("at most one of");
      assertThat(put.out() + put.err() + mixed.err()).doesNotContain("0123456789abcdef");
    }
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  @Test
  void tokenAndPolicyCommands_fullFlow_printWhatTheApiAnswers() throws Exception {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      Path dir = TestDatabases.tempDir("cli-");
      Path value = dir.resolve("value.txt");
      Files.writeString(value, "sk-proj-cli-0123456789abcdef\n");
      Run put =
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
      assertThat(put.code()).as(put.err()).isZero();
      assertThat(put.out()).doesNotContain("0123456789abcdef");
      String secret = field(put.out(), "id");
      var scope =
          s.root()
              .send(
                  "POST",
                  "/secrets/" + secret + "/scope",
                  "{\"name\":\"model-access\",\"operations\":[\"reveal\",\"derive\"]}",
                  "application/json");
      assertThat(scope.status()).isEqualTo(201);

      Path policy = dir.resolve("policy.yaml");
      Files.writeString(
          policy,
          "rules:\n  - id: root-all\n    effect: allow\n    principals: [root]\n    operations: ['*']\n");
      Run apply = run(s, "policy", "apply", "KEY-SCOPE-17", "-f", policy.toString());
      assertThat(apply.code()).as(apply.err()).isZero();
      assertThat(field(apply.out(), "version")).isEqualTo("1");
      Files.writeString(policy, Files.readString(policy).replace("[root]", "[root, ops]"));
      assertThat(run(s, "policy", "apply", "KEY-SCOPE-17", "-f", policy.toString()).code())
          .isZero();
      assertThat(run(s, "policy", "diff", "KEY-SCOPE-17", "--from", "1", "--to", "2").out())
          .contains("+     principals: [root, ops]");
      assertThat(
              run(
                      s,
                      "policy",
                      "test",
                      "--principal",
                      "root",
                      "--operation",
                      "issue",
                      "--secret",
                      secret)
                  .out())
          .contains("allow");

      Run issue =
          run(s, "token", "issue", "--secret", secret, "--scope", "model-access", "--ttl", "10m");
      assertThat(issue.code()).as(issue.err()).isZero();
      assertThat(field(issue.out(), "status")).isEqualTo("scoped_token_issued");
      String tokenId = field(issue.out(), "token_id");
      Path token = dir.resolve("token.jwt");
      Files.writeString(token, field(issue.out(), "token"));

      Run derive =
          run(
              s,
              "token",
              "derive",
              "--token-file",
              token.toString(),
              "--ttl",
              "2m",
              "--operation",
              "reveal");
      assertThat(derive.code()).as(derive.err()).isZero();
      assertThat(run(s, "token", "introspect", "--token-file", token.toString()).out())
          .contains("active               true");
      assertThat(run(s, "token", "resolve", "--token-file", token.toString()).out().strip())
          .isEqualTo("sk-proj-cli-0123456789abcdef");
      Run lineage = run(s, "token", "lineage", tokenId);
      assertThat(lineage.out()).contains("scoped").contains("derived");
      assertThat(run(s, "token", "list", "--secret", secret).out()).contains(tokenId);
      Run revoke = run(s, "token", "revoke", "--token-id", tokenId);
      assertThat(field(revoke.out(), "revoked")).isEqualTo("2");
      Run after = run(s, "token", "resolve", "--token-file", token.toString());
      assertThat(after.code()).isEqualTo(1);
      assertThat(after.err()).contains("401").contains("revoked");
    }
  }
}
