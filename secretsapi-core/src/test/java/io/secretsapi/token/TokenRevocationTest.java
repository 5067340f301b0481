package io.secretsapi.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsapi.BrokerCore;
import io.secretsapi.ConflictException;
import io.secretsapi.access.AuthenticationException;
import io.secretsapi.access.Caller;
import io.secretsapi.access.IssuedApiKey;
import io.secretsapi.access.ServiceAccount;
import io.secretsapi.testing.TestStore;
import io.secretsapi.testing.TokenFixture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Revoking a token, or the secret, principal or API key it stands on, ends it everywhere. */
class TokenRevocationTest {
  @ParameterizedTest
  @EnumSource(TestStore.class)
  void revoke_token_refusedByTheVeryNextUseAndAfterRestart(TestStore store) {
    try (var f = TokenFixture.start(store)) {
      var b = f.b;
      IssuedToken t = f.issue("15m");
      IssuedToken other = f.issue("15m");
      Caller revoker = b.root();
      Revocation r =
          b.core()
              .tokens()
              .revoke(
                  revoker,
                  new RevokeRequest(t.grant().id(), null, null, null, null, "test"),
                  Optional.empty());
      assertThat(r.revoked()).isEqualTo(1);
      assertThat(b.core().tokens().introspect(t.token())).isEqualTo(Map.of("active", false));
      assertThatThrownBy(
              () -> b.core().tokens().resolve(t.token(), Optional.empty(), Optional.empty()))
          .isInstanceOfSatisfying(
              InvalidTokenException.class,
              e -> {
                assertThat(e).hasMessageContaining("revoked");
                // The revoked token still in use is recorded: the refusal names its record.
                assertThat(e.auditRef()).isPresent();
              });
      assertThatThrownBy(
              () -> b.core().tokens().resolve("not-a-token", Optional.empty(), Optional.empty()))
          .isInstanceOfSatisfying(
              InvalidTokenException.class, e -> assertThat(e.auditRef()).isEmpty());
      BrokerCore restarted = b.restart();
      assertThat(restarted.tokens().introspect(t.token())).isEqualTo(Map.of("active", false));
      assertThat(restarted.tokens().introspect(other.token())).containsEntry("active", true);
      Revocation again =
          b.core()
              .tokens()
              .revoke(
                  revoker,
                  new RevokeRequest(t.grant().id(), null, null, null, null, null),
                  Optional.empty());
      assertThat(again.revoked()).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void revoke_secretPrincipalOrApiKey_endsEveryGrantUnderIt(TestStore store) {
    try (var f = TokenFixture.start(store)) {
      var b = f.b;
      IssuedToken a = f.issue("15m");
      b.core()
          .tokens()
          .revoke(
              b.root(),
              new RevokeRequest(null, null, null, "agent-runtime-04", null, null),
              Optional.empty());
      assertThat(b.core().tokens().introspect(a.token())).containsEntry("active", false);
      b.clock().advance(Duration.ofMillis(5));
      IssuedToken after = f.issue("15m");
      assertThat(b.core().tokens().introspect(after.token())).containsEntry("active", true);
      Revocation byKey =
          b.core()
              .tokens()
              .revoke(
                  b.root(),
                  new RevokeRequest(null, null, null, null, f.agent.apiKeyId(), null),
                  Optional.empty());
      assertThat(byKey.revoked()).isEqualTo(1);
      assertThat(b.core().tokens().introspect(after.token())).containsEntry("active", false);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void deleteSecret_revokesItsTokens(TestStore store) {
    try (var f = TokenFixture.start(store)) {
      var b = f.b;
      IssuedToken t = f.issue("15m");
      b.vault().delete(b.root(), f.secret.id());
      assertThat(b.core().tokens().introspect(t.token())).containsEntry("active", false);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void revokeKey_grantsMadeWithIt_areRevokedOnEveryNode(TestStore store) {
    try (var f = TokenFixture.start(store);
        BrokerCore other = f.b.otherNode()) {
      var b = f.b;
      IssuedToken t = f.issue("15m");
      assertThat(other.verifier().verify(t.token()).id()).isEqualTo(t.grant().id());

      b.access().revokeKey(b.root(), f.agent.apiKeyId());

      assertThat(b.core().tokens().introspect(t.token())).containsEntry("active", false);
      other.tokens().catchUp();
      assertThatThrownBy(() -> other.verifier().verify(t.token()))
          .isInstanceOf(InvalidTokenException.class)
          .hasMessageContaining("revoked");
      assertThat(b.restart().tokens().introspect(t.token())).containsEntry("active", false);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void rotateKey_withoutGrace_revokesTheOldKeysGrants(TestStore store) {
    try (var f = TokenFixture.start(store)) {
      var b = f.b;
      IssuedToken t = f.issue("15m");
      b.access().rotateKey(b.root(), f.agent.apiKeyId(), Optional.empty());
      assertThat(b.core().tokens().introspect(t.token())).containsEntry("active", false);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void revokeServiceAccount_revokesItsKeysAndTheirGrantsAndTakesNoNewKey(TestStore store) {
    try (var f = TokenFixture.start(store)) {
      var b = f.b;
      IssuedToken t = f.issue("15m");
      String account = f.agent.serviceAccountId();
      IssuedApiKey second =
          b.access()
              .createKey(b.root(), account, "second", List.of("tokens:issue"), Optional.empty());

      ServiceAccount revoked = b.access().revokeServiceAccount(b.root(), account);

      assertThat(revoked.status()).isEqualTo("revoked");
      assertThat(b.core().tokens().introspect(t.token())).containsEntry("active", false);
      assertThatThrownBy(() -> b.access().authenticate(second.plaintext()))
          .isInstanceOf(AuthenticationException.class);
      assertThat(b.access().getKey(b.root(), second.key().id()).status()).isEqualTo("revoked");
      assertThatThrownBy(
              () ->
                  b.access()
                      .createKey(
                          b.root(), account, "third", List.of("tokens:issue"), Optional.empty()))
          .isInstanceOf(ConflictException.class);
      assertThatThrownBy(
              () -> b.access().revokeServiceAccount(b.root(), b.root().serviceAccountId()))
          .isInstanceOf(ConflictException.class);
    }
  }
}
