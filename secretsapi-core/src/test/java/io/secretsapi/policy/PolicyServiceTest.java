package io.secretsapi.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsapi.ValidationException;
import io.secretsapi.access.Caller;
import io.secretsapi.access.PermissionDeniedException;
import io.secretsapi.access.Scope;
import io.secretsapi.secret.NewSecret;
import io.secretsapi.secret.Secret;
import io.secretsapi.testing.TestStore;
import io.secretsapi.testing.TokenFixture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PolicyServiceTest {
  static final List<String> OPERATIONS =
      List.of("issue", "derive", "resolve", "proxy", "revoke", "delegate");

  static PolicyRequest request(TokenFixture f, Secret s, String principal, String op) {
    return new PolicyRequest(
        principal,
        "",
        op,
        s,
        Optional.of(Duration.ofMinutes(5)),
        Optional.empty(),
        s.environment(),
        Map.of(),
        Optional.empty(),
        f.b.clock().instant());
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void put_twice_versionsGrowAndDiffShowsTheChange(TestStore store) {
    try (TokenFixture f = TokenFixture.start(store)) {
      PolicyService p = f.b.core().policies();
      PolicyVersion v2 =
          p.put(
              f.b.root(),
              "KEY-SCOPE-17",
              TokenFixture.POLICY.replace("agent-runtime-*", "agent-*"));
      assertThat(v2.version()).isEqualTo(2);
      assertThat(p.current("KEY-SCOPE-17").version()).isEqualTo(2);
      assertThat(p.versions("KEY-SCOPE-17"))
          .extracting(PolicyVersion::version)
          .containsExactly(2, 1);
      assertThat(p.diff("KEY-SCOPE-17", 1, 2))
          .contains("-     principals: [\"agent-runtime-*\"]", "+     principals: [\"agent-*\"]");
      assertThatThrownBy(() -> p.version("KEY-SCOPE-17", 9))
          .isInstanceOf(PolicyNotFoundException.class);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void put_invalidDocument_isRefusedNamingThePathAndChangesNothing(TestStore store) {
    try (TokenFixture f = TokenFixture.start(store)) {
      PolicyService p = f.b.core().policies();
      Map<String, String> bad =
          Map.of(
              "rules[0].efect", "rules:\n  - id: a\n    efect: allow\n    operations: [issue]\n",
              "rules[0].effect", "rules:\n  - id: a\n    effect: permit\n    operations: [issue]\n",
              "rules[0].operations[1]",
                  "rules:\n  - id: a\n    effect: allow\n    operations: [issue, launch]\n",
              "rules[0].condition",
                  "rules:\n  - id: a\n    effect: allow\n    operations: [issue]\n    condition: 'request.ttl_seconds +'\n",
              "rules[1].id",
                  "rules:\n  - id: a\n    effect: allow\n    operations: [issue]\n  - id: a\n    effect: deny\n    operations: [issue]\n",
              "rules", "rules: []\n",
              "body", "rules: [unterminated\n");
      for (var e : bad.entrySet()) {
        assertThatThrownBy(() -> p.put(f.b.root(), "KEY-SCOPE-17", e.getValue()))
            .as(e.getKey())
            .isInstanceOfSatisfying(
                ValidationException.class, x -> assertThat(x.field()).isEqualTo(e.getKey()));
      }
      assertThat(p.current("KEY-SCOPE-17").version()).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void decide_denyAndAllowBothMatch_denyWinsForEveryOperation(TestStore store) {
    try (TokenFixture f = TokenFixture.start(store)) {
      for (String op : OPERATIONS) {
        for (boolean denyFirst : List.of(true, false)) {
          String allow = "  - id: allow-all\n    effect: allow\n    operations: ['*']\n";
          String deny =
              "  - id: deny-"
                  + op
                  + "\n    effect: deny\n    principals: [agent-runtime-04]\n    operations: ["
                  + op
                  + "]\n";
          f.b
              .core()
              .policies()
              .put(
                  f.b.root(),
                  "KEY-SCOPE-17",
                  "rules:\n" + (denyFirst ? deny + allow : allow + deny));
          Decision d =
              f.b.core().policies().engine().decide(request(f, f.secret, "agent-runtime-04", op));
          assertThat(d.allowed()).as(op).isFalse();
          assertThat(d.ref().rule()).isEqualTo("deny-" + op);
          assertThat(d.matched()).hasSize(2);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void decide_caseVariantsAndDotDot_bypassNothing(TestStore store) {
    try (TokenFixture f = TokenFixture.start(store)) {
      f.b
          .core()
          .policies()
          .put(
              f.b.root(),
              "KEY-SCOPE-17",
              """
          rules:
            - id: allow-all
              effect: allow
              operations: ['*']
            - id: no-openai
              effect: deny
              principals: [AGENT-RUNTIME-*]
              resources:
                names: [openai-*]
              operations: ['*']
          """);
      Secret shouting =
          f.b
              .vault()
              .create(
                  f.b.root(),
                  new NewSecret(
                      "OpenAI-Prod-Key",
                      "openai",
                      "model-access",
                      "production",
                      "",
                      List.of(),
                      "sk-proj-upper-0123456789",
                      null));
      for (Secret s : List.of(f.secret, shouting)) {
        Decision d =
            f.b.core().policies().engine().decide(request(f, s, "agent-runtime-04", "issue"));
        assertThat(d.allowed()).as(s.name()).isFalse();
        assertThat(d.ref().rule()).isEqualTo("no-openai");
      }
      for (String name :
          List.of("openai..prod", "../openai-prod-key", "openai-prod-key/..", ".openai")) {
        assertThatThrownBy(
                () ->
                    f.b
                        .vault()
                        .create(
                            f.b.root(),
                            new NewSecret(
                                name,
                                "openai",
                                "model-access",
                                "production",
                                "",
                                List.of(),
                                "sk-x-0123456789",
                                null)))
            .as(name)
            .isInstanceOf(ValidationException.class);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void decide_conditionThatErrors_refusesWithAClearReason(TestStore store) {
    try (TokenFixture f = TokenFixture.start(store)) {
      f.b
          .core()
          .policies()
          .put(
              f.b.root(),
              "KEY-SCOPE-17",
              """
          rules:
            - id: team-must-match
              effect: allow
              operations: [issue]
              condition: attestation.team == 'ai-platform'
          """);
      Decision d =
          f.b.core().policies().engine().decide(request(f, f.secret, "agent-runtime-04", "issue"));
      assertThat(d.allowed()).isFalse();
      assertThat(d.ref().rule()).isEqualTo("team-must-match");
      assertThat(d.reason()).contains("failed to evaluate").contains("refused");
      PolicyRequest attested =
          new PolicyRequest(
              "agent-runtime-04",
              "",
              "issue",
              f.secret,
              Optional.empty(),
              Optional.empty(),
              "production",
              Map.of("team", "ai-platform", "sub", "spiffe://prod/agent"),
              Optional.empty(),
              f.b.clock().instant());
      assertThat(f.b.core().policies().engine().decide(attested).allowed()).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void put_deny_appliesToTheVeryNextRequest(TestStore store) {
    try (TokenFixture f = TokenFixture.start(store)) {
      f.issue("5m");
      f.b
          .core()
          .policies()
          .put(
              f.b.root(),
              "FREEZE",
              """
          rules:
            - id: freeze-production
              effect: deny
              resources:
                environments: [production]
              operations: [issue]
          """);
      assertThatThrownBy(() -> f.issue("5m"))
          .isInstanceOfSatisfying(
              PolicyDeniedException.class,
              e -> {
                assertThat(e.ref()).isEqualTo(new PolicyRef("FREEZE", 1, "freeze-production"));
                assertThat(e.auditRef()).isPresent();
              });
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void decide_requireAttestationObligation_refusesWithoutOne(TestStore store) {
    try (TokenFixture f = TokenFixture.start(store)) {
      f.b
          .core()
          .policies()
          .put(
              f.b.root(),
              "KEY-SCOPE-17",
              """
          rules:
            - id: attested-agents
              effect: allow
              principals: [agent-runtime-*]
              operations: [issue]
              obligations:
                require_attestation: true
          """);
      Decision d =
          f.b.core().policies().engine().decide(request(f, f.secret, "agent-runtime-04", "issue"));
      assertThat(d.allowed()).isFalse();
      assertThat(d.reason()).contains("requires an attested workload identity");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void put_writerWithoutAdmin_mayNameOnlyItsOwnSecretsAndSets(TestStore store) {
    try (TokenFixture f = TokenFixture.start(store)) {
      PolicyService p = f.b.core().policies();
      Caller writer = f.b.principal("team-b-writer", Scope.POLICIES_WRITE, Scope.SECRETS_WRITE);
      Secret own =
          f.b
              .vault()
              .create(
                  writer,
                  new NewSecret(
                      "own-key",
                      "openai",
                      "model-access",
                      "production",
                      "team",
                      List.of(),
                      "own-value-0123456789abcdef",
                      null));
      String others =
          """
          id: B-1
          rules:
            - id: take-a
              effect: allow
              principals: ["team-b-writer"]
              resources: {secret_ids: [%s]}
              operations: [issue, resolve]
          """;
      assertThatThrownBy(() -> p.put(writer, "B-1", others.formatted(f.secret.id())))
          .isInstanceOfSatisfying(
              ValidationException.class,
              e -> assertThat(e.field()).isEqualTo("rules[0].resources.secret_ids[0]"));
      String byClass =
          """
          id: B-1
          rules:
            - id: every-model-key
              effect: allow
              principals: ["team-b-writer"]
              resources: {resource_classes: [model-access]}
              operations: [issue, resolve]
          """;
      assertThatThrownBy(() -> p.put(writer, "B-1", byClass))
          .isInstanceOfSatisfying(
              ValidationException.class,
              e -> assertThat(e.field()).isEqualTo("rules[0].resources.secret_ids"));
      assertThatThrownBy(
              () ->
                  p.put(
                      writer,
                      "KEY-SCOPE-17",
                      others.replace("B-1", "KEY-SCOPE-17").formatted(own.id())))
          .isInstanceOf(PermissionDeniedException.class);
      assertThat(p.versions("KEY-SCOPE-17")).hasSize(1);
      assertThatThrownBy(() -> p.versions("B-1")).isInstanceOf(PolicyNotFoundException.class);
      assertThat(p.test(request(f, f.secret, "team-b-writer", "resolve")).allowed()).isFalse();

      assertThat(p.put(writer, "B-1", others.formatted(own.id())).version()).isEqualTo(1);
      assertThat(p.put(f.b.root(), "B-2", byClass.replace("B-1", "B-2")).version()).isEqualTo(1);
    }
  }
}
