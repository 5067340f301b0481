package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.client.Response;
import io.secretsapi.client.SecretsApiClient;
import io.secretsapi.testing.TestStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Human approval over HTTP (design 0030): the 202, the decision, the one token, bad input. */
class ApprovalsHttpTest {
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final String POLICY =
      "rules:\n"
          + "  - id: agents\n    effect: allow\n    principals: ['agent-*']\n"
          + "    operations: [issue]\n"
          + "  - id: agents-need-a-person\n    effect: approve\n    principals: ['agent-*']\n"
          + "    operations: [issue]\n    approvers: [approver-http]\n    approval_ttl: 5m\n";

  private static SecretsApiClient principal(TestServer s, String name, String... scopes) {
    String sa = s.root().createServiceAccount(name, "approvals").get("id").asString();
    return s.root()
        .withKey(
            s.root()
                .createApiKey(
                    Map.of("service_account_id", sa, "name", "k", "scopes", List.of(scopes)))
                .get("key")
                .asString());
  }

  private static JsonNode body(Response r) {
    return JSON.readTree(r.body());
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void issue_heldForApproval_answers202ThenIssuesOnceAfterApproval(TestStore store)
      throws Exception {
    try (TestServer s = TestServer.start(store)) {
      assertThat(s.root().send("PUT", "/policies/AGENTS", POLICY, "application/yaml").status())
          .isEqualTo(200);
      String secret = new MatrixFixture(s).newSecret();
      SecretsApiClient agent = principal(s, "agent-http", "tokens:issue");
      SecretsApiClient approver = principal(s, "approver-http", "policies:write");
      String ask =
          "{\"secret_id\":\""
              + secret
              + "\",\"scope\":\"model-access\",\"ttl\":\"5m\",\"environment\":\"production\"";

      Response held = agent.send("POST", "/tokens/issue", ask + "}", "application/json");
      assertThat(held.status()).as(held.body()).isEqualTo(202);
      JsonNode pending = body(held);
      assertThat(pending.get("status").asString()).isEqualTo("approval_pending");
      String id = pending.get("approval_id").asString();
      assertThat(id).startsWith("apr_");
      assertThat(pending.get("expires_at").asString()).isNotBlank();
      String again = ask + ",\"approval_id\":\"" + id + "\"}";
      assertThat(agent.send("POST", "/tokens/issue", again, "application/json").status())
          .isEqualTo(202);

      JsonNode listed = approver.call("GET", "/approvals?state=pending", null).get("items");
      assertThat(listed).hasSize(1);
      assertThat(listed.get(0).get("requester").asString()).isEqualTo("agent-http");

      // bad input: each refused by field, nothing changed
      Response noReason =
          approver.send("POST", "/approvals/" + id + "/approve", "{}", "application/json");
      assertThat(noReason.status()).isEqualTo(400);
      assertThat(body(noReason).get("field").asString()).isEqualTo("reason");
      Response self =
          principal(s, "agent-self", "tokens:issue", "policies:write")
              .send(
                  "POST",
                  "/approvals/" + id + "/approve",
                  "{\"reason\":\"x\"}",
                  "application/json");
      assertThat(self.status()).as("not visible to another account").isEqualTo(404);
      Response unknown =
          approver.send(
              "POST",
              "/approvals/apr_nosuchapproval1/approve",
              "{\"reason\":\"x\"}",
              "application/json");
      assertThat(unknown.status()).isEqualTo(404);
      assertThat(unknown.contentType()).contains("application/problem+json");
      Response wrongTtl =
          agent.send(
              "POST", "/tokens/issue", again.replace("\"5m\"", "\"4m\""), "application/json");
      assertThat(wrongTtl.status()).isEqualTo(400);
      assertThat(body(wrongTtl).get("field").asString()).isEqualTo("ttl");
      Response badWait = agent.send("GET", "/approvals/" + id + "?wait=2h", null, null);
      assertThat(badWait.status()).isEqualTo(400);
      assertThat(body(badWait).get("field").asString()).isEqualTo("wait");
      assertThat(agent.call("GET", "/approvals/" + id, null).get("state").asString())
          .isEqualTo("pending");

      CompletableFuture<Response> poll =
          CompletableFuture.supplyAsync(
              () -> agent.send("GET", "/approvals/" + id + "?wait=30s", null, null));
      Response approved =
          approver.send(
              "POST",
              "/approvals/" + id + "/approve",
              "{\"reason\":\"CHG-7\"}",
              "application/json");
      assertThat(approved.status()).as(approved.body()).isEqualTo(200);
      assertThat(body(approved).get("state").asString()).isEqualTo("approved");
      Response polled = poll.get(25, TimeUnit.SECONDS);
      assertThat(polled.status()).as(polled.body()).isEqualTo(200);
      assertThat(body(polled).get("state").asString()).isEqualTo("approved");

      Response issued = agent.send("POST", "/tokens/issue", again, "application/json");
      assertThat(issued.status()).as(issued.body()).isEqualTo(200);
      assertThat(body(issued).get("status").asString()).isEqualTo("scoped_token_issued");
      Response twice = agent.send("POST", "/tokens/issue", again, "application/json");
      assertThat(twice.status()).isEqualTo(403);
      assertThat(body(twice).get("field").asString()).isEqualTo("approval_id");
      assertThat(body(twice).get("type").asString()).contains("approval-refused");
      assertThat(agent.call("GET", "/approvals/" + id, null).get("state").asString())
          .isEqualTo("issued");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void issue_afterTheScopeWasDefinedAgain_isRefused403ScopeChanged(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      assertThat(s.root().send("PUT", "/policies/AGENTS", POLICY, "application/yaml").status())
          .isEqualTo(200);
      String secret = new MatrixFixture(s).newSecret();
      SecretsApiClient agent = principal(s, "agent-http", "tokens:issue");
      SecretsApiClient approver = principal(s, "approver-http", "policies:write");
      String ask =
          "{\"secret_id\":\""
              + secret
              + "\",\"scope\":\"model-access\",\"ttl\":\"5m\",\"environment\":\"production\"";
      String id =
          body(agent.send("POST", "/tokens/issue", ask + "}", "application/json"))
              .get("approval_id")
              .asString();
      assertThat(
              approver
                  .send(
                      "POST",
                      "/approvals/" + id + "/approve",
                      "{\"reason\":\"CHG-8\"}",
                      "application/json")
                  .status())
          .isEqualTo(200);
      assertThat(
              s.root()
                  .send("DELETE", "/secrets/" + secret + "/scopes/model-access", null, null)
                  .status())
          .isEqualTo(200);
      Response wider =
          s.root()
              .send(
                  "POST",
                  "/secrets/" + secret + "/scope",
                  "{\"name\":\"model-access\",\"operations\":[\"proxy\",\"reveal\",\"derive\"],"
                      + "\"upstream\":{\"hosts\":[\"api.example.com\"]},\"max_ttl\":\"15m\"}",
                  "application/json");
      assertThat(wider.status()).as(wider.body()).isEqualTo(201);

      Response refused =
          agent.send(
              "POST",
              "/tokens/issue",
              ask + ",\"approval_id\":\"" + id + "\"}",
              "application/json");
      assertThat(refused.status()).as(refused.body()).isEqualTo(403);
      JsonNode p = body(refused);
      assertThat(p.get("type").asString()).contains("approval-refused");
      assertThat(p.get("field").asString()).isEqualTo("approval_id");
      assertThat(p.get("rule").asString()).isEqualTo("scope_changed");
      assertThat(p.get("audit_ref").asString()).isNotBlank();
      assertThat(agent.call("GET", "/approvals/" + id, null).get("state").asString())
          .isEqualTo("approved");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void issue_21stPendingAsk_isRefused409PendingLimit_andListingPagesByCursor(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      assertThat(s.root().send("PUT", "/policies/AGENTS", POLICY, "application/yaml").status())
          .isEqualTo(200);
      String secret = new MatrixFixture(s).newSecret();
      SecretsApiClient agent = principal(s, "agent-http", "tokens:issue");
      SecretsApiClient approver = principal(s, "approver-http", "policies:write");
      String ask =
          "{\"secret_id\":\""
              + secret
              + "\",\"scope\":\"model-access\",\"ttl\":\"5m\",\"environment\":\"production\"}";
      for (int i = 0; i < 20; i++) {
        assertThat(agent.send("POST", "/tokens/issue", ask, "application/json").status())
            .isEqualTo(202);
      }
      Response capped = agent.send("POST", "/tokens/issue", ask, "application/json");
      assertThat(capped.status()).as(capped.body()).isEqualTo(409);
      assertThat(capped.contentType()).contains("application/problem+json");
      assertThat(body(capped).get("rule").asString()).isEqualTo("pending_limit");

      java.util.Set<String> seen = new java.util.HashSet<>();
      String url = "/approvals?state=pending&limit=7";
      int pages = 0;
      while (url != null) {
        JsonNode page = approver.call("GET", url, null);
        page.get("items").forEach(a -> seen.add(a.get("id").asString()));
        JsonNode next = page.get("next_cursor");
        url =
            next == null || next.isNull()
                ? null
                : "/approvals?state=pending&limit=7&cursor=" + next.asString();
        pages++;
      }
      assertThat(pages).isEqualTo(3);
      assertThat(seen).hasSize(20);
    }
  }
}
