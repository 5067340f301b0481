package io.secretsapi.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsapi.BrokerCore;
import io.secretsapi.ConflictException;
import io.secretsapi.ValidationException;
import io.secretsapi.access.Caller;
import io.secretsapi.access.Scope;
import io.secretsapi.policy.PolicyDeniedException;
import io.secretsapi.testing.TestStore;
import io.secretsapi.testing.TokenFixture;
import io.secretsapi.token.IssueRequest;
import io.secretsapi.token.IssuedToken;
import io.secretsapi.token.NewScope;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Human approval (design 0030): a rule with effect approve holds an issue back until a second
 * principal approves; then the same request issues exactly once.
 */
class ApprovalsTest {
  static final String APPROVE_POLICY =
      """
      id: PROD-APPROVAL
      rules:
        - id: prod-keys-need-a-person
          effect: approve
          principals: ["agent-runtime-*"]
          resources:
            environments: [production]
          operations: [issue]
          approvers: [approver-01, agent-runtime-07]
          approval_ttl: 10m
      """;

  /** The fixture with the approval policy, an approver, and what the agent asks for. */
  static final class Setting implements AutoCloseable {
    final TokenFixture f;
    final Caller approver;

    Setting(TestStore store) {
      f = TokenFixture.start(store);
      f.b.core().policies().put(f.b.root(), "PROD-APPROVAL", APPROVE_POLICY);
      approver = f.b.principal("approver-01", Scope.POLICIES_WRITE);
    }

    Approvals approvals() {
      return f.b.core().approvals();
    }

    IssueRequest ask(String approvalId) {
      return new IssueRequest(
          f.secret.id(), "model-access", "15m", null, "production", null, approvalId);
    }

    IssuedToken issue(BrokerCore core, Caller caller, String approvalId) {
      return core.tokens().issue(caller, ask(approvalId), Optional.empty());
    }

    Approval pending(Caller caller) {
      try {
        issue(f.b.core(), caller, null);
      } catch (ApprovalPendingException e) {
        return e.approval();
      }
      throw new AssertionError("the issue was not held for approval");
    }

    List<String> records(String type) {
      return f.b
          .db()
          .read(
              h ->
                  h.createQuery("SELECT record FROM audit_records WHERE record LIKE :t")
                      .bind("t", "%\"type\":\"" + type + "\"%")
                      .mapTo(String.class)
                      .list());
    }

    @Override
    public void close() {
      f.close();
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void issue_approvedByASecondPrincipal_issuesExactlyOnce(TestStore store) {
    try (Setting s = new Setting(store)) {
      Approval a = s.pending(s.f.agent);
      assertThat(a.id()).startsWith("apr_");
      assertThat(a.state()).isEqualTo("pending");
      assertThat(a.approvers()).containsExactly("approver-01", "agent-runtime-07");
      assertThat(a.expiresAt()).isEqualTo(a.createdAt().plus(Duration.ofMinutes(10)));
      assertThatThrownBy(() -> s.issue(s.f.b.core(), s.f.agent, a.id()))
          .as("still pending")
          .isInstanceOf(ApprovalPendingException.class);

      Approval approved =
          s.approvals().approve(s.approver, a.id(), "ticket CHG-1", Optional.empty());
      assertThat(approved.state()).isEqualTo("approved");
      assertThat(approved.decidedBy()).contains("approver-01");
      assertThat(approved.reason()).contains("ticket CHG-1");

      IssuedToken t = s.issue(s.f.b.core(), s.f.agent, a.id());
      assertThat(t.grant().subject()).isEqualTo("agent-runtime-04");
      assertThat(t.grant().policy().id()).isEqualTo("PROD-APPROVAL");
      Approval issued = s.approvals().get(s.f.agent, a.id());
      assertThat(issued.state()).isEqualTo("issued");
      assertThat(issued.tokenId()).contains(t.grant().id());

      assertThatThrownBy(() -> s.issue(s.f.b.core(), s.f.agent, a.id()))
          .isInstanceOfSatisfying(
              ApprovalRefusedException.class, e -> assertThat(e.field()).isEqualTo("approval_id"));
      assertThat(s.f.b.core().tokens().liveGrants(s.f.secret.id())).hasSize(1);
      assertThat(s.records("approval.request")).hasSize(1);
      assertThat(s.records("approval.approve")).hasSize(1);
      assertThat(s.records("approval.issue")).hasSize(1).allMatch(r -> r.contains(a.id()));
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void approve_byTheRequester_isRefusedAndRecorded(TestStore store) {
    try (Setting s = new Setting(store)) {
      Caller self = s.f.b.principal("agent-runtime-07", Scope.TOKENS_ISSUE, Scope.POLICIES_WRITE);
      Approval a = s.pending(self);

      assertThatThrownBy(() -> s.approvals().approve(self, a.id(), "mine", Optional.empty()))
          .isInstanceOfSatisfying(
              ApprovalRefusedException.class,
              e -> {
                assertThat(e.rule()).isEqualTo("self_approval");
                assertThat(e.auditRef()).isPresent();
              });
      assertThat(s.approvals().get(self, a.id()).state()).isEqualTo("pending");
      assertThat(s.records("approval.approve"))
          .singleElement()
          .satisfies(r -> assertThat(r).contains("\"decision\":\"deny\"").contains(a.id()));
      assertThatThrownBy(() -> s.issue(s.f.b.core(), self, a.id()))
          .isInstanceOf(ApprovalPendingException.class);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void issue_afterADenial_isRefusedNamingTheApproval(TestStore store) {
    try (Setting s = new Setting(store)) {
      Approval a = s.pending(s.f.agent);
      Approval denied = s.approvals().deny(s.approver, a.id(), "not in a window", Optional.empty());
      assertThat(denied.state()).isEqualTo("denied");

      assertThatThrownBy(() -> s.issue(s.f.b.core(), s.f.agent, a.id()))
          .isInstanceOfSatisfying(
              ApprovalRefusedException.class,
              e -> {
                assertThat(e.field()).isEqualTo("approval_id");
                assertThat(e.rule()).isEqualTo("denied");
              });
      assertThatThrownBy(() -> s.approvals().approve(s.approver, a.id(), "late", Optional.empty()))
          .isInstanceOfSatisfying(
              ConflictException.class, e -> assertThat(e.field()).isEqualTo("id"));
      assertThat(s.f.b.core().tokens().liveGrants(s.f.secret.id())).isEmpty();
      assertThat(s.records("approval.deny")).hasSize(1);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void issue_afterTheApprovalExpired_isRefusedAndTheExpiryRecorded(TestStore store) {
    try (Setting s = new Setting(store)) {
      Approval a = s.pending(s.f.agent);
      Approval b = s.pending(s.f.agent);
      s.f.b.clock().advance(Duration.ofMinutes(11));

      assertThat(s.approvals().get(s.f.agent, a.id()).state()).as("on read").isEqualTo("expired");
      assertThat(s.approvals().sweep()).isEqualTo(2);
      assertThat(s.approvals().sweep()).as("once").isZero();
      assertThat(s.records("approval.expired")).hasSize(2);
      assertThatThrownBy(() -> s.issue(s.f.b.core(), s.f.agent, a.id()))
          .isInstanceOfSatisfying(
              ApprovalRefusedException.class, e -> assertThat(e.rule()).isEqualTo("expired"));
      assertThatThrownBy(() -> s.approvals().approve(s.approver, b.id(), "late", Optional.empty()))
          .isInstanceOfSatisfying(
              ConflictException.class, e -> assertThat(e.field()).isEqualTo("id"));
      assertThat(s.f.b.core().tokens().liveGrants(s.f.secret.id())).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void await_whileAnApproverDecides_answersWithTheDecision(TestStore store) throws Exception {
    try (Setting s = new Setting(store)) {
      Approval a = s.pending(s.f.agent);
      CompletableFuture<Approval> waiting =
          s.approvals().await(s.f.agent, a.id(), Duration.ofSeconds(30));
      s.approvals().approve(s.approver, a.id(), "ok", Optional.empty());
      assertThat(waiting.get(20, TimeUnit.SECONDS).state()).isEqualTo("approved");
      assertThat(s.approvals().await(s.f.agent, a.id(), Duration.ZERO).get().state())
          .isEqualTo("approved");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void badInput_isRefusedNamingTheField_andChangesNothing(TestStore store) {
    try (Setting s = new Setting(store)) {
      Approval a = s.pending(s.f.agent);
      assertThatThrownBy(
              () -> s.approvals().approve(s.approver, "apr_nosuchapproval", "x", Optional.empty()))
          .isInstanceOf(ApprovalNotFoundException.class);
      for (String reason : new String[] {null, " ", "a\u0000b", "x".repeat(513)}) {
        assertThatThrownBy(
                () -> s.approvals().approve(s.approver, a.id(), reason, Optional.empty()))
            .isInstanceOfSatisfying(
                ValidationException.class, e -> assertThat(e.field()).isEqualTo("reason"));
      }
      assertThatThrownBy(
              () ->
                  s.f
                      .b
                      .core()
                      .tokens()
                      .issue(
                          s.f.agent,
                          new IssueRequest(
                              s.f.secret.id(),
                              "model-access",
                              "5m",
                              null,
                              "production",
                              null,
                              a.id()),
                          Optional.empty()))
          .isInstanceOfSatisfying(
              ValidationException.class, e -> assertThat(e.field()).isEqualTo("ttl"));
      assertThatThrownBy(() -> s.issue(s.f.b.core(), s.f.agent, "apr_nosuchapproval"))
          .isInstanceOfSatisfying(
              ValidationException.class, e -> assertThat(e.field()).isEqualTo("approval_id"));
      Caller stranger = s.f.b.principal("agent-runtime-09", Scope.TOKENS_ISSUE);
      assertThatThrownBy(() -> s.issue(s.f.b.core(), stranger, a.id()))
          .as("another principal's approval")
          .isInstanceOfSatisfying(
              ValidationException.class, e -> assertThat(e.field()).isEqualTo("approval_id"));
      assertThatThrownBy(() -> s.approvals().get(stranger, a.id()))
          .isInstanceOf(ApprovalNotFoundException.class);
      assertThatThrownBy(() -> s.approvals().list(s.approver, Optional.of("open"), 10))
          .isInstanceOfSatisfying(
              ValidationException.class, e -> assertThat(e.field()).isEqualTo("state"));
      assertThatThrownBy(() -> s.approvals().await(s.f.agent, a.id(), Duration.ofMinutes(5)))
          .isInstanceOfSatisfying(
              ValidationException.class, e -> assertThat(e.field()).isEqualTo("wait"));

      Approval after = s.approvals().get(s.f.agent, a.id());
      assertThat(after.state()).isEqualTo("pending");
      assertThat(after.decidedBy()).isEmpty();
      assertThat(s.records("approval.approve")).isEmpty();
      assertThat(s.approvals().list(s.approver, Optional.of("pending"), 10))
          .extracting(Approval::id)
          .containsExactly(a.id());
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void policy_approveRules_areCheckedAndDenyStillWins(TestStore store) {
    try (Setting s = new Setting(store)) {
      var policies = s.f.b.core().policies();
      String head = "rules:\n  - id: r\n    operations: [issue]\n";
      assertThatThrownBy(() -> policies.put(s.f.b.root(), "BAD", head + "    effect: approve\n"))
          .isInstanceOfSatisfying(
              ValidationException.class,
              e -> assertThat(e.field()).isEqualTo("rules[0].approvers"));
      assertThatThrownBy(
              () ->
                  policies.put(
                      s.f.b.root(), "BAD", head + "    effect: allow\n    approvers: [x]\n"))
          .isInstanceOfSatisfying(
              ValidationException.class,
              e -> assertThat(e.field()).isEqualTo("rules[0].approvers"));
      assertThatThrownBy(
              () ->
                  policies.put(
                      s.f.b.root(),
                      "BAD",
                      head + "    effect: approve\n    approvers: [x]\n    approval_ttl: 25h\n"))
          .isInstanceOfSatisfying(
              ValidationException.class,
              e -> assertThat(e.field()).isEqualTo("rules[0].approval_ttl"));
      assertThatThrownBy(
              () ->
                  policies.put(
                      s.f.b.root(),
                      "BAD",
                      "rules:\n  - id: r\n    operations: ['*']\n    effect: approve\n"
                          + "    approvers: [x]\n"))
          .isInstanceOfSatisfying(
              ValidationException.class,
              e -> assertThat(e.field()).isEqualTo("rules[0].operations"));
      assertThatThrownBy(
              () ->
                  policies.put(
                      s.f.b.root(),
                      "BAD",
                      head + "    effect: approve\n    approvers: ['ops-*']\n"))
          .isInstanceOfSatisfying(
              ValidationException.class,
              e -> assertThat(e.field()).isEqualTo("rules[0].approvers[0]"));

      policies.put(
          s.f.b.root(),
          "NO-AGENT-09",
          "rules:\n  - id: no-09\n    effect: deny\n    principals: [agent-runtime-09]\n"
              + "    operations: [issue]\n");
      Caller denied = s.f.b.principal("agent-runtime-09", Scope.TOKENS_ISSUE);
      assertThatThrownBy(() -> s.issue(s.f.b.core(), denied, null))
          .isInstanceOf(PolicyDeniedException.class);
      assertThat(s.approvals().list(s.f.b.root(), Optional.empty(), 10)).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void issue_afterTheScopeWasDefinedAgainWider_isRefusedScopeChangedAndRecorded(TestStore store) {
    try (Setting s = new Setting(store)) {
      Approval a = s.pending(s.f.agent);
      s.approvals().approve(s.approver, a.id(), "ticket CHG-2", Optional.empty());
      var scopes = s.f.b.core().scopes();
      scopes.delete(s.f.b.root(), s.f.secret.id(), "model-access");
      s.f.b.clock().advance(Duration.ofSeconds(1));
      scopes.define(
          s.f.b.root(),
          s.f.secret.id(),
          new NewScope(
              "model-access",
              List.of("proxy", "reveal", "derive"),
              new NewScope.UpstreamSpec(
                  List.of("api.openai.com", "evil.example.com"),
                  List.of("GET", "POST", "DELETE"),
                  List.of("/")),
              "15m",
              null,
              null,
              null));

      assertThatThrownBy(() -> s.issue(s.f.b.core(), s.f.agent, a.id()))
          .isInstanceOfSatisfying(
              ApprovalRefusedException.class,
              e -> {
                assertThat(e.field()).isEqualTo("approval_id");
                assertThat(e.rule()).isEqualTo("scope_changed");
                assertThat(e.auditRef()).isPresent();
              });
      assertThat(s.f.b.core().tokens().liveGrants(s.f.secret.id())).isEmpty();
      assertThat(s.approvals().get(s.f.agent, a.id()).state()).isEqualTo("approved");
      assertThat(s.records("approval.issue"))
          .singleElement()
          .satisfies(
              r ->
                  assertThat(r)
                      .contains("\"decision\":\"deny\"")
                      .contains(a.id())
                      .contains("scope_changed"));
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void issue_afterTheRuleNoLongerNamesTheApprover_isRefusedApproverChangedAndRecorded(
      TestStore store) {
    try (Setting s = new Setting(store)) {
      Approval a = s.pending(s.f.agent);
      s.approvals().approve(s.approver, a.id(), "ticket CHG-3", Optional.empty());
      s.f
          .b
          .core()
          .policies()
          .put(
              s.f.b.root(),
              "PROD-APPROVAL",
              APPROVE_POLICY.replace("[approver-01, agent-runtime-07]", "[oncall-lead]"));

      assertThatThrownBy(() -> s.issue(s.f.b.core(), s.f.agent, a.id()))
          .isInstanceOfSatisfying(
              ApprovalRefusedException.class,
              e -> {
                assertThat(e.field()).isEqualTo("approval_id");
                assertThat(e.rule()).isEqualTo("approver_changed");
                assertThat(e.auditRef()).isPresent();
              });
      assertThat(s.f.b.core().tokens().liveGrants(s.f.secret.id())).isEmpty();
      assertThat(s.records("approval.issue"))
          .singleElement()
          .satisfies(r -> assertThat(r).contains("\"decision\":\"deny\"").contains(a.id()));
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void issue_approverNamedBySaId_stillIssuesAfterThePolicyIsRewritten(TestStore store) {
    try (Setting s = new Setting(store)) {
      Approval a = s.pending(s.f.agent);
      s.approvals().approve(s.approver, a.id(), "ticket CHG-4", Optional.empty());
      s.f
          .b
          .core()
          .policies()
          .put(
              s.f.b.root(),
              "PROD-APPROVAL",
              APPROVE_POLICY.replace(
                  "[approver-01, agent-runtime-07]",
                  "[oncall-lead, \"sa:" + s.approver.serviceAccountId() + "\"]"));

      IssuedToken t = s.issue(s.f.b.core(), s.f.agent, a.id());
      assertThat(s.approvals().get(s.f.agent, a.id()).tokenId()).contains(t.grant().id());
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void issue_afterThePolicyStoppedHoldingTheRequest_isRefusedAndDenyStaysDeny(TestStore store) {
    try (Setting s = new Setting(store)) {
      Approval a = s.pending(s.f.agent);
      s.approvals().approve(s.approver, a.id(), "ticket CHG-5", Optional.empty());
      var policies = s.f.b.core().policies();
      policies.put(
          s.f.b.root(),
          "PROD-APPROVAL",
          "rules:\n  - id: prod-plain\n    effect: allow\n    principals: [\"agent-runtime-*\"]\n"
              + "    operations: [issue]\n");

      assertThatThrownBy(() -> s.issue(s.f.b.core(), s.f.agent, a.id()))
          .as("plain allow now: the approval issues nothing")
          .isInstanceOfSatisfying(
              ApprovalRefusedException.class,
              e -> {
                assertThat(e.rule()).isEqualTo("policy_changed");
                assertThat(e.auditRef()).isPresent();
              });
      assertThat(s.approvals().get(s.f.agent, a.id()).state()).isEqualTo("approved");

      policies.put(
          s.f.b.root(),
          "PROD-APPROVAL",
          "rules:\n  - id: prod-closed\n    effect: deny\n    principals: [\"agent-runtime-*\"]\n"
              + "    operations: [issue]\n");
      assertThatThrownBy(() -> s.issue(s.f.b.core(), s.f.agent, a.id()))
          .isInstanceOf(PolicyDeniedException.class);
      assertThat(s.f.b.core().tokens().liveGrants(s.f.secret.id())).isEmpty();
      assertThat(s.records("approval.issue")).hasSize(1);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void request_21stPendingAsk_isRefusedPendingLimitAndRecorded(TestStore store) {
    try (Setting s = new Setting(store)) {
      for (int i = 0; i < Approvals.MAX_PENDING; i++) {
        s.pending(s.f.agent);
      }
      assertThatThrownBy(() -> s.issue(s.f.b.core(), s.f.agent, null))
          .isInstanceOfSatisfying(
              ConflictException.class,
              e -> {
                assertThat(e.rule()).isEqualTo("pending_limit");
                assertThat(e.field()).isEqualTo("approval_id");
              });
      assertThat(s.approvals().list(s.f.agent, Optional.of("pending"), 500))
          .hasSize(Approvals.MAX_PENDING);
      assertThat(s.records("approval.request"))
          .hasSize(Approvals.MAX_PENDING + 1)
          .filteredOn(r -> r.contains("\"decision\":\"deny\""))
          .singleElement()
          .satisfies(r -> assertThat(r).contains("pending_limit"));

      Caller other = s.f.b.principal("agent-runtime-05", Scope.TOKENS_ISSUE);
      assertThat(s.pending(other).state()).as("the cap is per principal").isEqualTo("pending");
      Approval first = s.approvals().list(s.f.agent, Optional.of("pending"), 1).get(0);
      s.approvals().deny(s.approver, first.id(), "no", Optional.empty());
      assertThat(s.pending(s.f.agent).state()).as("room again").isEqualTo("pending");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void list_floodedByAnotherAccount_stillShowsTheApproversPendingApproval(TestStore store) {
    try (Setting s = new Setting(store)) {
      Approval real = s.pending(s.f.agent);
      s.f.b.clock().advance(Duration.ofSeconds(1));
      flood(s, 2001, "someone-else");

      assertThat(s.approvals().list(s.approver, Optional.of("pending"), 500))
          .extracting(Approval::id)
          .containsExactly(real.id());
      assertThat(s.approvals().list(s.f.agent, Optional.empty(), 500))
          .extracting(Approval::id)
          .containsExactly(real.id());
      assertThat(s.approvals().list(s.f.b.root(), Optional.of("pending"), 500))
          .as("admin sees all")
          .hasSize(500);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void page_followedByCursor_returnsEveryApprovalOnce(TestStore store) {
    try (Setting s = new Setting(store)) {
      Approval real = s.pending(s.f.agent);
      Approval decided = s.pending(s.f.agent);
      s.approvals().deny(s.approver, decided.id(), "no", Optional.empty());
      s.f.b.clock().advance(Duration.ofSeconds(1));
      flood(s, 1203, "approver-01");
      flood(s, 40, "someone-else");

      java.util.List<String> seen = new java.util.ArrayList<>();
      Optional<String> cursor = Optional.empty();
      int pages = 0;
      do {
        io.secretsapi.Page<Approval> p =
            s.approvals().page(s.approver, Optional.empty(), 500, cursor);
        p.items().forEach(a -> seen.add(a.id()));
        cursor = p.nextCursor();
        pages++;
      } while (cursor.isPresent());
      assertThat(pages).isEqualTo(3);
      assertThat(seen).hasSize(1205).doesNotHaveDuplicates().contains(real.id(), decided.id());
      assertThat(seen.get(seen.size() - 1)).as("pending first").isEqualTo(decided.id());

      String c =
          s.approvals()
              .page(s.approver, Optional.empty(), 500, Optional.empty())
              .nextCursor()
              .get();
      assertThatThrownBy(
              () -> s.approvals().page(s.approver, Optional.of("pending"), 500, Optional.of(c)))
          .isInstanceOfSatisfying(
              ValidationException.class, e -> assertThat(e.field()).isEqualTo("cursor"));
    }
  }

  /** {@code n} pending approvals of another account, whose rule names {@code approver}. */
  private static void flood(Setting s, int n, String approver) {
    java.time.Instant now = s.f.b.clock().instant();
    s.f
        .b
        .db()
        .writes()
        .submit(
            h -> {
              for (int i = 0; i < n; i++) {
                ApprovalStore.insert(
                    h,
                    new Approval(
                        String.format("apr_fl%s%09d", approver.charAt(0), i),
                        "sa_flooder",
                        "flooder",
                        "flooder",
                        s.f.secret.id(),
                        "model-access",
                        900,
                        List.of("proxy"),
                        "production",
                        new io.secretsapi.policy.PolicyRef("FLOOD", 1, "flood"),
                        List.of(approver),
                        "pending",
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        now,
                        now.plus(Duration.ofMinutes(10)),
                        Optional.empty(),
                        Optional.of("x"),
                        Optional.empty()));
              }
              return null;
            });
  }

  /** The acceptance's two nodes: a decision on one is seen, and honoured once, on the other. */
  @Test
  void approval_onTwoNodesOfPostgres_isTheSameApproval() throws Exception {
    try (Setting s = new Setting(TestStore.POSTGRES);
        BrokerCore other = s.f.b.otherNode()) {
      Approval a = s.pending(s.f.agent);
      assertThat(other.approvals().get(s.approver, a.id()).state()).isEqualTo("pending");
      CompletableFuture<Approval> waiting =
          s.approvals().await(s.f.agent, a.id(), Duration.ofSeconds(30));

      other.approvals().approve(s.approver, a.id(), "seen on node 2", Optional.empty());

      // the long poll on node 1 is woken by node 2's announcement: well before its 30s are over
      assertThat(waiting.get(20, TimeUnit.SECONDS).state()).isEqualTo("approved");
      assertThat(s.approvals().waiting()).isZero();
      IssuedToken t = s.issue(other, s.f.agent, a.id());
      assertThat(s.approvals().get(s.f.agent, a.id()).tokenId()).contains(t.grant().id());
      assertThatThrownBy(() -> s.issue(s.f.b.core(), s.f.agent, a.id()))
          .isInstanceOf(ApprovalRefusedException.class);
    }
  }
}
