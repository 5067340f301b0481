package io.secretsapi.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.client.Response;
import io.secretsapi.server.TestServer;
import io.secretsapi.testing.TestStore;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The pending approvals screen over HTTP: the list and one approval as the approver and the
 * requester see them, the Approve and Deny forms deciding through {@code Approvals} with the
 * session's caller, and every refused decision changing nothing.
 */
class ConsoleApprovalsHttpTest {

  private static ConsoleClient console(TestServer s, String key) {
    ConsoleClient c = new ConsoleClient(s.server().baseUrl());
    assertThat(c.logIn(key).statusCode()).isEqualTo(303);
    return c;
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void approve_pendingApproval_shownDecidedAndRequesterGetsItsToken(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      ApprovalWorld w = ApprovalWorld.make(s);
      String id = w.request();
      ConsoleClient approver = console(s, w.approverKey());

      HttpResponse<String> list = approver.get("/console/approvals");
      assertThat(list.statusCode()).isEqualTo(200);
      ConsoleAssertions.hasSecurityHeaders(list);
      ConsoleAssertions.hasNoInlineScriptOrStyle(list.body());
      assertThat(list.body())
          .contains("href=\"/console/approvals\"", "Pending approvals")
          .contains("id=\"apr-" + id + "\" data-approval=\"" + id + "\" data-state=\"pending\"")
          .contains("agent-console", w.agentAccount(), w.secretId(), "model-access", ">5m<")
          .contains("production", "AGENTS v1 · agents-need-a-person", "approver-console")
          .containsPattern(">in 1[45]m<")
          .contains("showing 1 · 1 pending", "hx-trigger=\"every 5s\"");
      assertThat(ConsoleScopesHttpTest.postForms(list.body())).containsOnly("/console/logout");

      String detail = approver.get("/console/approvals/" + id).body();
      assertThat(ConsoleScopesHttpTest.postForms(detail))
          .contains("/console/approvals/" + id + "/approve", "/console/approvals/" + id + "/deny");

      HttpResponse<String> approved =
          approver.postWithCsrf(
              "/console/approvals/" + id + "/approve", Map.of("reason", "CHG-2291, on call"));
      assertThat(approved.statusCode()).as(approved.body()).isEqualTo(303);
      String location = approved.headers().firstValue("Location").orElseThrow();
      assertThat(location).isEqualTo("/console/approvals/" + id + "?decided=approved");
      String after = approver.get(location).body();
      assertThat(after)
          .contains("approved " + id + ": agent-console gets its token")
          .contains("id=\"approval\" data-state=\"approved\"")
          .contains("data-approval=\"" + id + "\" data-state=\"approved\"")
          .contains("approver-console", "CHG-2291, on call")
          .contains("data-step=\"approve\"")
          .containsPattern("<a href=\"/console/audit\\?from=\\d+&amp;to=\\d+\">AU-\\d+</a>");
      assertThat(ConsoleScopesHttpTest.postForms(after)).containsOnly("/console/logout");
      assertThat(w.state(id)).isEqualTo("approved");

      Response issued = w.askAgain(id);
      assertThat(issued.status()).as(issued.body()).isEqualTo(200);
      String tokenId = ApprovalWorld.body(issued).get("token_id").asString();
      String rootView = console(s, s.rootKey()).get("/console/approvals/" + id).body();
      assertThat(rootView)
          .contains("id=\"approval\" data-state=\"issued\"", tokenId)
          .contains("data-step=\"request\"", "data-step=\"approve\"", "data-step=\"issue\"");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void approve_onAnotherNode_seenThereAndRequesterOnTheFirstGetsItsToken(TestStore store) {
    try (TestServer s = TestServer.start(store);
        TestServer other = s.otherNode()) {
      ApprovalWorld w = ApprovalWorld.make(s);
      String id = w.request();
      ConsoleClient approver = console(other, w.approverKey());

      assertThat(approver.get("/console/approvals?state=pending").body())
          .contains("id=\"apr-" + id + "\" data-approval=\"" + id + "\" data-state=\"pending\"");
      HttpResponse<String> approved =
          approver.postWithCsrf("/console/approvals/" + id + "/approve", Map.of("reason", "CHG-7"));

      assertThat(approved.statusCode()).as(approved.body()).isEqualTo(303);
      Response issued = w.askAgain(id);
      assertThat(issued.status()).as(issued.body()).isEqualTo(200);
      assertThat(approver.get("/console/approvals/" + id).body())
          .contains("id=\"approval\" data-state=\"issued\"");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void deny_pendingApproval_deniedAndItsRequestIssuesNothing(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      ApprovalWorld w = ApprovalWorld.make(s);
      String id = w.request();
      ConsoleClient approver = console(s, w.approverKey());

      HttpResponse<String> denied =
          approver.postWithCsrf(
              "/console/approvals/" + id + "/deny", Map.of("reason", "no change ticket"));

      assertThat(denied.statusCode()).as(denied.body()).isEqualTo(303);
      String after = approver.get(denied.headers().firstValue("Location").orElseThrow()).body();
      assertThat(after)
          .contains("denied " + id + ": it issues no token", "no change ticket")
          .contains("id=\"approval\" data-state=\"denied\"", "data-step=\"deny\"");
      assertThat(w.state(id)).isEqualTo("denied");
      Response again = w.askAgain(id);
      assertThat(again.status()).isEqualTo(403);
      assertThat(ApprovalWorld.body(again).get("field").asString()).isEqualTo("approval_id");
      assertThat(approver.get("/console/approvals?state=denied").body())
          .contains("id=\"apr-" + id + "\"");
      assertThat(approver.get("/console/approvals?state=pending").body())
          .doesNotContain("id=\"apr-" + id + "\"")
          .contains("showing 0 · 0 pending");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void decide_refusedDecisions_nameTheFieldOrRuleAndChangeNothing(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      ApprovalWorld w = ApprovalWorld.make(s);
      String id = w.request();
      String path = "/console/approvals/" + id;

      // the requester's own account, even with policies:write: no controls, a forged post refused
      ConsoleClient self =
          console(s, ApprovalWorld.key(s, w.agentAccount(), "tokens:issue", "policies:write"));
      String own = self.get(path).body();
      assertThat(own)
          .contains("data-state=\"pending\"", "nobody decides their own request")
          .doesNotContain("/approve\"", "/deny\"");
      assertThat(ConsoleScopesHttpTest.postForms(own)).containsOnly("/console/logout");
      HttpResponse<String> selfApproval =
          self.postWithCsrf(path + "/approve", Map.of("reason", "it is mine"));
      assertThat(selfApproval.statusCode()).isEqualTo(403);
      assertThat(selfApproval.body())
          .contains("rule self_approval", "field: id", "recorded AU-", "Refused (403)");

      // an approver's account key without policies:write: sees it, no controls, post refused
      ConsoleClient reader = console(s, ApprovalWorld.key(s, w.approverAccount(), "audit:read"));
      String read = reader.get(path).body();
      assertThat(read).contains("data-state=\"pending\"", "Deciding needs policies:write");
      assertThat(ConsoleScopesHttpTest.postForms(read)).containsOnly("/console/logout");
      HttpResponse<String> forged = reader.postWithCsrf(path + "/approve", Map.of("reason", "x"));
      assertThat(forged.statusCode()).isEqualTo(403);
      assertThat(forged.body()).contains("policies:write");

      // an admin key of an account the rule does not name: no controls, refused by rule
      ConsoleClient root = console(s, s.rootKey());
      assertThat(root.get(path).body()).contains("Only an approver the rule names decides");
      HttpResponse<String> notApprover =
          root.postWithCsrf(path + "/deny", Map.of("reason", "not mine to decide"));
      assertThat(notApprover.statusCode()).isEqualTo(403);
      assertThat(notApprover.body()).contains("rule approver", "field: id");

      // an unrelated account sees the screen, but not the approval
      ConsoleClient other =
          console(s, ApprovalWorld.key(s, ApprovalWorld.account(s, "ops"), "policies:write"));
      assertThat(other.get("/console/approvals").body())
          .contains("showing 0 · 0 pending")
          .doesNotContain(id);
      assertThat(other.get(path).statusCode()).isEqualTo(404);
      assertThat(other.postWithCsrf(path + "/approve", Map.of("reason", "x")).statusCode())
          .isEqualTo(404);

      // the approver: an empty reason, a missing CSRF token, a bad filter
      ConsoleClient approver = console(s, w.approverKey());
      HttpResponse<String> noReason =
          approver.postWithCsrf(path + "/approve", Map.of("reason", " "));
      assertThat(noReason.statusCode()).isEqualTo(400);
      assertThat(noReason.body()).contains("field: reason");
      HttpResponse<String> absent = approver.postWithCsrf(path + "/deny", Map.of());
      assertThat(absent.statusCode()).isEqualTo(400);
      assertThat(absent.body()).contains("field: reason");
      HttpResponse<String> noCsrf = approver.post(path + "/approve", Map.of("reason", "CHG-1"));
      assertThat(noCsrf.statusCode()).isEqualTo(403);
      assertThat(noCsrf.body()).contains("CSRF");
      HttpResponse<String> badState = approver.get("/console/approvals?state=waiting");
      assertThat(badState.statusCode()).isEqualTo(400);
      assertThat(badState.body()).contains("field: state").doesNotContain("value=\"waiting\"");
      assertThat(w.state(id)).isEqualTo("pending");
      assertThat(w.askAgain(id).status()).isEqualTo(202);

      // decided once: a second decision is refused naming the approval
      assertThat(approver.postWithCsrf(path + "/approve", Map.of("reason", "CHG-1")).statusCode())
          .isEqualTo(303);
      HttpResponse<String> twice = approver.postWithCsrf(path + "/deny", Map.of("reason", "late"));
      assertThat(twice.statusCode()).isEqualTo(409);
      assertThat(twice.body()).contains("is approved already", "field: id");
      assertThat(w.state(id)).isEqualTo("approved");
      HttpResponse<String> none = approver.get("/console/approvals/apr_nosuchapproval1");
      assertThat(none.statusCode()).isEqualTo(404);
      assertThat(none.body()).contains("<h1>Pending approvals</h1>");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void everyPage_approvalOfCanarySecret_showsNoValueNoTokenAndSpecialTextAsText(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      ApprovalWorld w = ApprovalWorld.make(s);
      String id = w.request();
      String denyId = w.request();
      String special = "<script>alert(1)</script> & \"CHG\" <b>bold</b>";
      ConsoleClient approver = console(s, w.approverKey());
      ConsoleClient root = console(s, s.rootKey());
      List<HttpResponse<String>> seen = new ArrayList<>();
      seen.add(approver.get("/console/approvals"));
      seen.add(approver.get("/console/approvals/" + id));
      seen.add(
          approver.postWithCsrf(
              "/console/approvals/" + id + "/approve", Map.of("reason", special)));
      seen.add(
          approver.postWithCsrf("/console/approvals/" + denyId + "/deny", Map.of("reason", "no")));
      Response issued = w.askAgain(id);
      assertThat(issued.status()).isEqualTo(200);
      String token = ApprovalWorld.body(issued).get("token").asString();
      seen.add(approver.get("/console/approvals/" + id + "?decided=approved"));
      seen.add(approver.get("/console/approvals", Map.of("HX-Request", "true")));
      seen.add(root.get("/console/approvals/" + id));
      seen.add(root.get("/console/approvals/" + denyId));
      seen.add(root.get("/console/approvals?state=issued"));
      // a refusal that would repeat the value: the value as a reason, as an id
      seen.add(
          approver.postWithCsrf(
              "/console/approvals/" + id + "/deny", Map.of("reason", ApprovalWorld.CANARY)));
      seen.add(approver.get("/console/approvals/" + ApprovalWorld.CANARY));
      seen.add(root.get("/console/approvals/" + id + "?state=" + token));
      assertThat(seen).allSatisfy(r -> assertThat(r.statusCode()).isLessThan(500));
      assertThat(seen).allSatisfy(r -> ConsoleAssertions.showsNone(r, ApprovalWorld.CANARY, token));
      String shown = root.get("/console/approvals/" + id).body();
      assertThat(shown)
          .contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp;", "&lt;b&gt;bold&lt;/b&gt;")
          .doesNotContain("<script>alert(1)", "<b>bold</b>");
      assertThat(s.auditRecords())
          .allSatisfy(a -> assertThat(a).doesNotContain(ApprovalWorld.CANARY, token));
    }
  }
}
