package io.secretsapi.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.server.TestServer;
import io.secretsapi.testing.TestStore;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The policies screen over HTTP: scopes, CSRF, and the API's ownership rule for writes. */
class ConsolePolicyHttpTest {

  @Test
  void auditReadOnlyKey_seesNoWriteOrTestControlAndForgedPostsRefused() {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      PolicyWorld w = PolicyWorld.make(s);
      ConsoleClient c = new ConsoleClient(s.server().baseUrl());
      assertThat(c.logIn(ConsoleScopesHttpTest.keyWith(s, "audit:read")).statusCode())
          .isEqualTo(303);
      HttpResponse<String> page = c.get("/console/policies");
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body())
          .contains("KEY-SCOPE-17")
          .doesNotContain("/console/policies/test", "/console/policies/write");

      HttpResponse<String> write =
          c.postWithCsrf(
              "/console/policies/write",
              Map.of("id", "KEY-SCOPE-17", "document", PolicyWorld.POLICY_V1));
      assertThat(write.statusCode()).isEqualTo(403);
      assertThat(write.body()).contains("policies:write");
      HttpResponse<String> test =
          c.postWithCsrf(
              "/console/policies/test",
              Map.of(
                  "principal",
                  "agent-runtime-04",
                  "operation",
                  "issue",
                  "secret_id",
                  w.secretId()));
      assertThat(test.statusCode()).isEqualTo(403);
      assertThat(test.body()).doesNotContain("dry-answer");
      assertThat(s.root().call("GET", "/policies/KEY-SCOPE-17", null).get("version").asInt())
          .isEqualTo(1);
    }
  }

  @Test
  void writeWithoutCsrf_refusedAndNothingWritten() {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      PolicyWorld.make(s);
      ConsoleClient c = new ConsoleClient(s.server().baseUrl());
      c.logIn(s.rootKey());
      HttpResponse<String> none =
          c.post(
              "/console/policies/write",
              Map.of("id", "KEY-SCOPE-17", "document", PolicyWorld.POLICY_V1));
      assertThat(none.statusCode()).isEqualTo(403);
      HttpResponse<String> wrong =
          c.post(
              "/console/policies/write",
              Map.of("id", "KEY-SCOPE-17", "document", PolicyWorld.POLICY_V1, "_csrf", "forged"));
      assertThat(wrong.statusCode()).isEqualTo(403);
      assertThat(s.root().call("GET", "/policies/KEY-SCOPE-17/versions", null).get("items").size())
          .isEqualTo(1);
    }
  }

  @Test
  void writeByNonAdminKey_setOfAnotherAccount_refusedAsByTheApi() {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      PolicyWorld.make(s);
      ConsoleClient c = new ConsoleClient(s.server().baseUrl());
      c.logIn(ConsoleScopesHttpTest.keyWith(s, "policies:write", "audit:read"));
      HttpResponse<String> write =
          c.postWithCsrf(
              "/console/policies/write",
              Map.of("id", "KEY-SCOPE-17", "document", PolicyWorld.POLICY_V1));
      assertThat(write.statusCode()).isEqualTo(403);
      assertThat(write.body()).contains("last written by another account");
      assertThat(s.root().call("GET", "/policies/KEY-SCOPE-17", null).get("version").asInt())
          .isEqualTo(1);
    }
  }

  @Test
  void pagesAndDryRun_canaryValueAppearsNowhere() {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      PolicyWorld w = PolicyWorld.make(s);
      ConsoleClient c = new ConsoleClient(s.server().baseUrl());
      c.logIn(s.rootKey());
      HttpResponse<String> test =
          c.postWithCsrf(
              "/console/policies/test",
              Map.of(
                  "principal",
                  "agent-runtime-04",
                  "operation",
                  "issue",
                  "secret_id",
                  w.secretId()));
      assertThat(test.statusCode()).isEqualTo(200);
      assertThat(test.body()).contains("dry-answer").doesNotContain(PolicyWorld.CANARY);
      assertThat(c.get("/console/policies?id=KEY-SCOPE-17&v=1").body())
          .contains("agents-model-access")
          .doesNotContain(PolicyWorld.CANARY);
    }
  }
}
