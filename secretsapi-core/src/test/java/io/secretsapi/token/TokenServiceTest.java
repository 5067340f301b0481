package io.secretsapi.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsapi.ValidationException;
import io.secretsapi.access.Caller;
import io.secretsapi.access.Scope;
import io.secretsapi.policy.PolicyDeniedException;
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

class TokenServiceTest {
  @ParameterizedTest
  @EnumSource(TestStore.class)
  void issue_sourceExample_introspectsActiveAndResolvesTheValue(TestStore store) {
    try (var f = TokenFixture.start(store)) {
      var b = f.b;
      IssuedToken t = f.issue("15m");
      assertThat(t.grant().id()).startsWith("tok_");
      assertThat(t.auditRef()).matches("AU-[0-9]+");
      assertThat(t.grant().policy().id()).isEqualTo("KEY-SCOPE-17");
      assertThat(t.grant().policy().rule()).isEqualTo("agents-model-access");
      assertThat(t.grant().expiresAt()).isEqualTo(b.clock().instant().plus(Duration.ofMinutes(15)));
      assertThat(t.toString()).doesNotContain(t.token());
      Map<String, Object> info = b.core().tokens().introspect(t.token());
      assertThat(info)
          .containsEntry("active", true)
          .containsEntry("sub", "agent-runtime-04")
          .containsEntry("secret_id", f.secret.id())
          .containsEntry("scope", "model-access");
      Resolution r =
          b.core().tokens().resolve(t.token(), Optional.of(f.secret.id()), Optional.empty());
      assertThat(r.value()).isEqualTo("sk-proj-CANARY-0123456789abcdef");
      assertThat(r.toString()).doesNotContain("CANARY");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void issue_ttlEdges_neverOutliveTheScope(TestStore store) {
    try (var f = TokenFixture.start(store)) {
      var b = f.b;
      assertThat(f.issue("15m").grant().expiresAt())
          .isEqualTo(b.clock().instant().plusSeconds(900));
      assertThat(f.issue("900s").grant().expiresAt())
          .isEqualTo(b.clock().instant().plusSeconds(900));
      for (String bad : List.of("901s", "0s", "-5m", "", "soon", "15 m", "1e3s", "99999999999s")) {
        assertThatThrownBy(() -> f.issue(bad))
            .as(bad)
            .isInstanceOfSatisfying(
                ValidationException.class, e -> assertThat(e.field()).isEqualTo("ttl"));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void issue_policyMaxTtlObligation_refusesLongerTokens(TestStore store) {
    try (var f = TokenFixture.start(store)) {
      var b = f.b;
      b.core()
          .policies()
          .put(
              b.root(),
              "KEY-SCOPE-17",
              TokenFixture.POLICY.replace(
                  "operations: [issue, derive, resolve, proxy]",
                  "operations: [issue, derive, resolve, proxy]\n    obligations:\n      max_ttl: 5m"));
      assertThat(f.issue("5m").grant().policy().version()).isEqualTo(2);
      assertThatThrownBy(() -> f.issue("301s"))
          .isInstanceOfSatisfying(
              PolicyDeniedException.class,
              e -> {
                assertThat(e.ref().rule()).isEqualTo("agents-model-access");
                assertThat(e.getMessage()).contains("max_ttl");
                assertThat(e.auditRef()).isPresent();
              });
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void derive_childAtTheParentsLastSecond_neverOutlivesIt(TestStore store) {
    try (var f = TokenFixture.start(store)) {
      var b = f.b;
      IssuedToken parent = f.issue("10m");
      b.clock().advance(Duration.ofMinutes(10).minusSeconds(1));
      IssuedToken child =
          b.core().tokens().derive(parent.token(), derive("1s", null), Optional.empty());
      assertThat(child.grant().expiresAt()).isEqualTo(parent.grant().expiresAt());
      b.clock().advance(Duration.ofMillis(500));
      assertThatThrownBy(
              () -> b.core().tokens().derive(parent.token(), derive("1s", null), Optional.empty()))
          .isInstanceOfSatisfying(
              ValidationException.class, e -> assertThat(e.rule()).isEqualTo("parent_remaining"));
      b.clock().advance(Duration.ofMillis(500));
      assertThatThrownBy(
              () -> b.core().tokens().derive(parent.token(), derive("1s", null), Optional.empty()))
          .isInstanceOfSatisfying(
              InvalidTokenException.class,
              e -> {
                assertThat(e).hasMessageContaining("expired");
                assertThat(e.auditRef()).isPresent();
              });
      assertThat(b.core().tokens().introspect(child.token())).containsEntry("active", false);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void derive_widerThanParent_isRefusedNamingTheField(TestStore store) {
    try (var f = TokenFixture.start(store)) {
      var b = f.b;
      IssuedToken parent = f.issue("10m");
      TokenService ts = b.core().tokens();
      var wider =
          new DeriveRequest(
              null,
              new NewScope.UpstreamSpec(List.of("api.openai.com", "evil.example"), null, null),
              "1m",
              null,
              null,
              null,
              null);
      assertThatThrownBy(() -> ts.derive(parent.token(), wider, Optional.empty()))
          .isInstanceOfSatisfying(
              ValidationException.class, e -> assertThat(e.field()).isEqualTo("upstream.hosts"));
      var path =
          new DeriveRequest(
              null,
              new NewScope.UpstreamSpec(null, null, List.of("/v10")),
              "1m",
              null,
              null,
              null,
              null);
      assertThatThrownBy(() -> ts.derive(parent.token(), path, Optional.empty()))
          .isInstanceOfSatisfying(
              ValidationException.class,
              e -> assertThat(e.field()).isEqualTo("upstream.path_prefixes"));
      IssuedToken reader =
          ts.derive(
              parent.token(),
              new DeriveRequest(List.of("reveal"), null, "1m", null, null, null, null),
              Optional.empty());
      assertThatThrownBy(() -> ts.derive(reader.token(), derive("10s", null), Optional.empty()))
          .isInstanceOf(TokenLimitException.class)
          .hasMessageContaining("derive");
      var moreOps =
          new DeriveRequest(List.of("reveal", "derive"), null, "1m", null, null, null, null);
      IssuedToken narrow =
          ts.derive(
              parent.token(),
              new DeriveRequest(List.of("derive"), null, "5m", null, null, null, null),
              Optional.empty());
      assertThatThrownBy(() -> ts.derive(narrow.token(), moreOps, Optional.empty()))
          .isInstanceOfSatisfying(
              ValidationException.class, e -> assertThat(e.field()).isEqualTo("operations"));
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void derive_beyondMaxDepth_isRefused(TestStore store) {
    try (var f = TokenFixture.start(store)) {
      var b = f.b;
      String token = f.issue("10m").token();
      for (int depth = 1; depth <= TokenService.DEFAULT_MAX_DEPTH; depth++) {
        IssuedToken child = b.core().tokens().derive(token, derive("5m", null), Optional.empty());
        assertThat(child.grant().depth()).isEqualTo(depth);
        token = child.token();
      }
      String deepest = token;
      assertThatThrownBy(
              () -> b.core().tokens().derive(deepest, derive("1m", null), Optional.empty()))
          .isInstanceOfSatisfying(
              ValidationException.class, e -> assertThat(e.field()).isEqualTo("depth"));
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void resolve_usesAreCountedAndReservedForChildren(TestStore store) {
    try (Broker2 x = new Broker2(store)) {
      IssuedToken parent = x.f.issue("10m");
      TokenService ts = x.f.b.core().tokens();
      assertThatThrownBy(() -> ts.derive(parent.token(), derive("1m", null), Optional.empty()))
          .isInstanceOfSatisfying(
              ValidationException.class, e -> assertThat(e.field()).isEqualTo("max_uses"));
      IssuedToken child = ts.derive(parent.token(), derive("1m", 3L), Optional.empty());
      assertThatThrownBy(() -> ts.derive(parent.token(), derive("1m", 3L), Optional.empty()))
          .isInstanceOfSatisfying(
              ValidationException.class, e -> assertThat(e.rule()).isEqualTo("parent_remaining"));
      for (int i = 0; i < 3; i++) {
        assertThat(ts.resolve(child.token(), Optional.empty(), Optional.empty()).usesRemaining())
            .contains(2L - i);
      }
      assertThatThrownBy(() -> ts.resolve(child.token(), Optional.empty(), Optional.empty()))
          .isInstanceOf(TokenLimitException.class)
          .hasMessageContaining("no uses left");
      ts.resolve(parent.token(), Optional.empty(), Optional.empty());
      ts.resolve(parent.token(), Optional.empty(), Optional.empty());
      assertThatThrownBy(() -> ts.resolve(parent.token(), Optional.empty(), Optional.empty()))
          .isInstanceOf(TokenLimitException.class);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void issue_requestedByAnotherPrincipal_needsDelegation(TestStore store) {
    try (var f = TokenFixture.start(store)) {
      var b = f.b;
      Caller service = b.principal("orchestrator", Scope.TOKENS_ISSUE);
      IssueRequest forAgent =
          new IssueRequest(
              f.secret.id(), "model-access", "5m", "agent-runtime-04", "production", null);
      assertThatThrownBy(() -> b.core().tokens().issue(service, forAgent, Optional.empty()))
          .isInstanceOfSatisfying(
              PolicyDeniedException.class,
              e -> assertThat(e.ref().rule()).isEqualTo("default-deny"));
      b.core()
          .policies()
          .put(
              b.root(),
              "DELEGATION",
              """
          id: DELEGATION
          rules:
            - id: orchestrator-for-agents
              effect: allow
              principals: [orchestrator]
              operations: [delegate]
              condition: request.subject.startsWith('agent-runtime-')
          """);
      IssuedToken t = b.core().tokens().issue(service, forAgent, Optional.empty());
      assertThat(t.grant().subject()).isEqualTo("agent-runtime-04");
      assertThat(t.grant().actor()).contains("orchestrator");
      assertThat(b.core().tokens().introspect(t.token()))
          .containsEntry("act", Map.of("sub", "orchestrator"));
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void issue_environmentOrScopeThatDoesNotFit_isRefusedNamingTheField(TestStore store) {
    try (var f = TokenFixture.start(store)) {
      var b = f.b;
      TokenService ts = b.core().tokens();
      assertThatThrownBy(
              () ->
                  ts.issue(
                      f.agent,
                      new IssueRequest(f.secret.id(), "model-access", "5m", null, "staging", null),
                      Optional.empty()))
          .isInstanceOfSatisfying(
              ValidationException.class, e -> assertThat(e.field()).isEqualTo("environment"));
      assertThatThrownBy(
              () ->
                  ts.issue(
                      f.agent,
                      new IssueRequest(
                          f.secret.id(), "admin-access", "5m", null, "production", null),
                      Optional.empty()))
          .isInstanceOfSatisfying(
              ValidationException.class, e -> assertThat(e.field()).isEqualTo("scope"));
      Secret pii =
          b.vault()
              .create(
                  b.root(),
                  new NewSecret(
                      "customer-segment-db",
                      "postgres",
                      "pii",
                      "production",
                      "Data",
                      List.of(),
                      "postgres://user:pw@db/segments",
                      null));
      b.core().scopes().define(b.root(), pii.id(), TokenFixture.modelAccess());
      assertThatThrownBy(
              () ->
                  ts.issue(
                      f.agent,
                      new IssueRequest(pii.id(), "model-access", "5m", null, "production", null),
                      Optional.empty()))
          .isInstanceOf(PolicyDeniedException.class)
          .hasMessageContaining("no policy rule allows");
    }
  }

  static DeriveRequest derive(String ttl, Long uses) {
    return new DeriveRequest(null, null, ttl, uses, null, null, null);
  }

  /** A fixture whose scope limits uses to 10. */
  static final class Broker2 implements AutoCloseable {
    final TokenFixture f;

    Broker2(TestStore store) {
      NewScope s = TokenFixture.modelAccess();
      f =
          new TokenFixture(
              io.secretsapi.testing.Broker.start(store),
              new NewScope(s.name(), s.operations(), s.upstream(), s.maxTtl(), 5L, null, null));
    }

    @Override
    public void close() {
      f.b.close();
    }
  }
}
