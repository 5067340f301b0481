package io.secretsapi.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsapi.BrokerCore;
import io.secretsapi.access.Caller;
import io.secretsapi.storage.Dialect;
import io.secretsapi.testing.TestStore;
import io.secretsapi.testing.TokenFixture;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Two broker nodes on one store: what one revokes, the other refuses. */
class RevocationAcrossNodesTest {

  private static void revoke(BrokerCore node, Caller caller, IssuedToken t) {
    node.tokens()
        .revoke(
            caller,
            new RevokeRequest(t.grant().id(), null, null, null, null, "test"),
            Optional.empty());
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void catchUp_afterItsOwnNewerRevocation_stillAppliesTheOtherNodesOlderOne(TestStore store) {
    try (var f = TokenFixture.start(store);
        BrokerCore other = f.b.otherNode()) {
      BrokerCore node = f.b.core();
      IssuedToken first = f.issue("15m");
      IssuedToken second = f.issue("15m");
      Caller otherRoot = other.access().authenticate(f.b.rootKey().plaintext());

      revoke(other, otherRoot, first); // sequence 1, on the other node
      revoke(node, f.b.root(), second); // sequence 2, applied here before its answer
      node.tokens().catchUp();

      assertThatThrownBy(() -> node.verifier().verify(first.token()))
          .isInstanceOf(InvalidTokenException.class)
          .hasMessageContaining("revoked");
      assertThatThrownBy(() -> node.verifier().verify(second.token()))
          .hasMessageContaining("revoked");
      other.tokens().catchUp();
      assertThatThrownBy(() -> other.verifier().verify(second.token()))
          .hasMessageContaining("revoked");
    }
  }

  /**
   * Only PostgreSQL serves several nodes; nothing here calls catchUp, so only the push can work.
   */
  @Test
  void revoke_onOneNodeOfPostgres_theOtherRefusesWithoutWaitingForItsCatchUp() throws Exception {
    try (var f = TokenFixture.start(TestStore.POSTGRES);
        BrokerCore other = f.b.otherNode()) {
      BrokerCore node = f.b.core();
      IssuedToken t = f.issue("15m");
      assertThat(node.verifier().verify(t.token()).id()).isEqualTo(t.grant().id());
      CountDownLatch heard = new CountDownLatch(1);
      node.verifier().onRevocation(heard::countDown);

      revoke(other, other.access().authenticate(f.b.rootKey().plaintext()), t);

      assertThat(heard.await(10, TimeUnit.SECONDS)).as("the revocation reached this node").isTrue();
      assertThatThrownBy(() -> node.verifier().verify(t.token()))
          .isInstanceOf(InvalidTokenException.class)
          .hasMessageContaining("revoked");
    }
  }

  /**
   * PostgreSQL numbers rows as they are inserted, not as they commit: a revocation numbered before
   * one a node has already read can still commit after it, and must not be skipped.
   */
  @Test
  void catchUp_whenAnOlderNumberedRevocationCommitsLater_appliesIt() {
    try (var f = TokenFixture.start(TestStore.POSTGRES);
        BrokerCore other = f.b.otherNode();
        Handle slow = f.b.core().db().jdbi().open()) {
      BrokerCore node = f.b.core();
      IssuedToken first = f.issue("15m");
      IssuedToken second = f.issue("15m");
      slow.begin();
      long older =
          RevocationService.insertRevocation(
              slow, Dialect.POSTGRES, "token", first.grant().id(), true, Instant.now(), "t", "t");

      revoke(other, other.access().authenticate(f.b.rootKey().plaintext()), second);
      node.tokens().catchUp();
      assertThatThrownBy(() -> node.verifier().verify(second.token()))
          .hasMessageContaining("revoked");
      assertThat(node.verifier().verify(first.token()).id())
          .as("revocation %d is not committed yet", older)
          .isEqualTo(first.grant().id());

      slow.commit();
      node.tokens().catchUp();

      assertThatThrownBy(() -> node.verifier().verify(first.token()))
          .isInstanceOf(InvalidTokenException.class)
          .hasMessageContaining("revoked");
    }
  }

  /** A newer node may write a kind this version does not know; the catch-up must not stop there. */
  @ParameterizedTest
  @EnumSource(TestStore.class)
  void catchUp_rowOfAnUnknownKind_appliesTheRowsAfterItAndReportsTheKind(TestStore store) {
    try (var f = TokenFixture.start(store)) {
      BrokerCore node = f.b.core();
      IssuedToken t = f.issue("15m");
      f.b
          .db()
          .inTransaction(
              h -> {
                RevocationService.insertRevocation(
                    h, f.b.db().dialect(), "session", "ses_1", false, Instant.now(), "t", "t");
                return RevocationService.insertRevocation(
                    h, f.b.db().dialect(), "token", t.grant().id(), true, Instant.now(), "t", "t");
              });

      node.tokens().catchUp();

      assertThatThrownBy(() -> node.verifier().verify(t.token())).hasMessageContaining("revoked");
      assertThat(node.unknownRevocationKinds()).containsExactly("session");
    }
  }
}
