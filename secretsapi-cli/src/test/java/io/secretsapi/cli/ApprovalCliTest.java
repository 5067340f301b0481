package io.secretsapi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.server.TestServer;
import io.secretsapi.testing.TestStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code secretsapi approval list|get|approve|deny} and {@code token issue --approval-id}. */
class ApprovalCliTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static CliTest.Run as(TestServer s, String key, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--addr=" + s.server().baseUrl());
    all.add("--token=" + key);
    int code =
        Main.run(
            new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
    return new CliTest.Run(code, out.toString(), err.toString());
  }

  @Test
  void approval_requestedApprovedThenIssued_throughTheCli() throws Exception {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      assertThat(
              s.root()
                  .send(
                      "PUT",
                      "/policies/CLI-APPROVAL",
                      "rules:\n  - id: cli-needs-a-person\n    effect: approve\n"
                          + "    principals: [agent-cli]\n    operations: [issue]\n"
                          + "    approvers: [root]\n",
                      "application/yaml")
                  .status())
          .isEqualTo(200);
      String secret =
          s.root()
              .createSecret(
                  Map.of(
                      "name",
                      "approval-key",
                      "provider",
                      "openai",
                      "resource_class",
                      "model-access",
                      "environment",
                      "production",
                      "value",
                      "sk-proj-approval-0123456789abcdef"))
              .get("id")
              .asString();
      assertThat(
              s.root()
                  .send(
                      "POST",
                      "/secrets/" + secret + "/scope",
                      "{\"name\":\"model-access\",\"operations\":[\"reveal\"],\"max_ttl\":\"15m\"}",
                      "application/json")
                  .status())
          .isEqualTo(201);
      String sa = s.root().createServiceAccount("agent-cli", "").get("id").asString();
      String agent =
          s.root()
              .createApiKey(
                  Map.of("service_account_id", sa, "name", "k", "scopes", List.of("tokens:issue")))
              .get("key")
              .asString();
      String[] issue = {
        "token", "issue", "--secret", secret, "--scope", "model-access", "--ttl", "5m"
      };

      CliTest.Run held = as(s, agent, concat(issue, "-o", "json"));
      assertThat(held.code()).as(held.err()).isZero();
      JsonNode pending = JSON.readTree(held.out());
      assertThat(pending.get("status").asString()).isEqualTo("approval_pending");
      String id = pending.get("approval_id").asString();

      CliTest.Run table =
          as(s, s.rootKey(), "approval", "list", "--state", "pending", "-o", "table");
      assertThat(table.code()).as(table.err()).isZero();
      assertThat(table.out()).contains(id).contains("REQUESTER").contains("agent-cli");

      CliTest.Run approved =
          as(s, s.rootKey(), "approval", "approve", id, "--reason", "change CHG-9", "-o", "json");
      assertThat(approved.code()).as(approved.err()).isZero();
      assertThat(JSON.readTree(approved.out()).get("state").asString()).isEqualTo("approved");

      CliTest.Run got = as(s, agent, "approval", "get", id, "--wait", "1s", "-o", "json");
      assertThat(got.code()).as(got.err()).isZero();
      assertThat(JSON.readTree(got.out()).get("state").asString()).isEqualTo("approved");

      CliTest.Run issued = as(s, agent, concat(issue, "--approval-id", id, "-o", "json"));
      assertThat(issued.code()).as(issued.err()).isZero();
      assertThat(JSON.readTree(issued.out()).get("status").asString())
          .isEqualTo("scoped_token_issued");

      CliTest.Run late = as(s, s.rootKey(), "approval", "deny", id, "--reason", "too late");
      assertThat(late.code()).isNotZero();
      assertThat(late.err()).contains("already");
    }
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
