package io.secretsapi.secret;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.BrokerCore;
import io.secretsapi.storage.ChangeFeed.Topic;
import io.secretsapi.testing.TestStore;
import io.secretsapi.testing.TokenFixture;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A node left with the old key-encryption key after another rotated it knows it cannot open the
 * store's data keys, so that it can stop taking traffic instead of failing every request.
 */
class KekAcrossNodesTest {

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void checkKek_afterAnotherNodeRotatedTheKek_namesTheKeyThisNodeLacks(TestStore store) {
    try (var f = TokenFixture.start(store);
        BrokerCore other = f.b.otherNode()) {
      assertThat(other.missingKek()).isEmpty();

      KekRotationResult r = f.b.core().vault().rotateKek();
      other.checkKek();
      f.b.core().checkKek();

      assertThat(other.missingKek()).contains(r.newKeyId());
      assertThat(f.b.core().missingKek()).as("the node that rotated holds it").isEmpty();
    }
  }

  @Test
  void rotateKek_onPostgres_theOtherNodeKnowsWithoutWaitingForItsCheck() throws Exception {
    try (var f = TokenFixture.start(TestStore.POSTGRES);
        BrokerCore other = f.b.otherNode()) {
      assertThat(other.changes().awaitListening(Duration.ofSeconds(10))).isTrue();
      CountDownLatch arrived = new CountDownLatch(2); // at the start and at the end
      other.changes().on(Topic.KEK, k -> k.ifPresent(id -> arrived.countDown()));

      KekRotationResult r = f.b.core().vault().rotateKek();

      assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(other.missingKek()).isEqualTo(Optional.of(r.newKeyId()));
    }
  }
}
