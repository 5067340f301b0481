package io.secretsapi.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsapi.BrokerCore;
import io.secretsapi.access.Caller;
import io.secretsapi.testing.TestStore;
import io.secretsapi.testing.TokenFixture;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * No node releases a value (a reveal, a proxied call) once any node has acknowledged a revocation
 * that reaches the grant, whatever the in-memory revocation index of the releasing node knows yet.
 */
class ReleaseAfterRevocationTest {
  /** Trials in CI; {@code bench/revocation-race.sh} runs the full count (1,000). */
  private static final int TRIALS = Integer.getInteger("revocation.trials", 100);

  private static final ProxyGrants.Call CALL =
      new ProxyGrants.Call("api.openai.com", "POST", "/v1/chat/completions", Optional.empty());

  /**
   * Revoke on node B, then at once resolve or proxy on node A, {@link #TRIALS} times: the push
   * reaches A in about 10 ms, much later than A's next request; every one must be refused.
   */
  @Test
  void resolveOrProxy_onNodeA_rightAfterNodeBAcknowledgedTheRevocation_releasesNothing() {
    try (var f = TokenFixture.start(TestStore.POSTGRES);
        BrokerCore b = f.b.otherNode()) {
      BrokerCore a = f.b.core();
      Caller rootOnB = b.access().authenticate(f.b.rootKey().plaintext());
      List<String> released = new ArrayList<>();
      for (int i = 0; i < TRIALS; i++) {
        IssuedToken t = f.issue("15m");
        boolean viaProxy = i % 2 == 1;
        b.tokens()
            .revoke(
                rootOnB,
                new RevokeRequest(t.grant().id(), null, null, null, null, "trial " + i),
                Optional.empty());
        try {
          if (viaProxy) {
            a.tokens().proxy().authorize(t.token(), CALL, Optional.empty());
          } else {
            a.tokens().resolve(t.token(), Optional.empty(), Optional.empty());
          }
          released.add((viaProxy ? "proxy " : "resolve ") + t.grant().id());
        } catch (InvalidTokenException expected) {
          assertThat(expected).hasMessageContaining("revoked");
        }
      }
      assertThat(released).as("values released after the revocation was acknowledged").isEmpty();
    }
  }

  /**
   * Each kind of revocation, present only as its committed row (as when it committed on another
   * node while this grant's row was being written, so its status was never set, and before this
   * node's index heard of it): the grant releases nothing, and the refusal says it was revoked.
   */
  static Stream<Arguments> storesAndKinds() {
    return Stream.of(TestStore.values())
        .flatMap(
            s ->
                Stream.of("token", "ancestor", "secret", "principal", "api_key")
                    .map(k -> Arguments.of(s, k)));
  }

  @ParameterizedTest
  @MethodSource("storesAndKinds")
  void takeUse_revocationRowOfEachKindAloneCommitted_refusesTheRelease(
      TestStore store, String kind) {
    try (var f = TokenFixture.start(store)) {
      BrokerCore a = f.b.core();
      {
        IssuedToken parent = f.issue("15m");
        IssuedToken t =
            kind.equals("ancestor")
                ? a.tokens()
                    .derive(
                        parent.token(),
                        new DeriveRequest(null, null, "5m", null, null, null, null),
                        Optional.empty())
                : parent;
        String target =
            switch (kind) {
              case "token" -> t.grant().id();
              case "ancestor" -> parent.grant().id();
              case "secret" -> t.grant().secretId();
              case "principal" -> t.grant().subject();
              default -> t.grant().apiKeyId().orElseThrow();
            };
        String rowKind = kind.equals("ancestor") ? "token" : kind;
        f.b
            .db()
            .inTransaction(
                h ->
                    RevocationService.insertRevocation(
                        h,
                        f.b.db().dialect(),
                        rowKind,
                        target,
                        true,
                        Instant.now().plusSeconds(1),
                        "test",
                        "row alone"));
        if (store == TestStore.SQLITE) {
          // nothing told this node's index: only the store's row can stop the release
          assertThat(a.verifier().verify(t.token()).id()).isEqualTo(t.grant().id());
        }

        assertThatThrownBy(
                () -> a.tokens().resolve(t.token(), Optional.empty(), Optional.empty()),
                "resolve after a %s revocation",
                kind)
            .isInstanceOf(InvalidTokenException.class)
            .hasMessageContaining("revoked");
        assertThatThrownBy(
                () -> a.tokens().proxy().authorize(t.token(), CALL, Optional.empty()),
                "proxy after a %s revocation",
                kind)
            .isInstanceOf(InvalidTokenException.class)
            .hasMessageContaining("revoked");
      }
    }
  }
}
