package io.secretsapi.secret;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.BrokerCore;
import io.secretsapi.storage.ChangeFeed.Topic;
import io.secretsapi.testing.TestDatabases;
import io.secretsapi.testing.TestStore;
import io.secretsapi.testing.TokenFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A node left with the old key-encryption key after another rotated it knows it cannot open the
 * store's data keys, and takes up the new key file once it is in place, without a restart.
 */
class KekAcrossNodesTest {

  /** A copy of the first node's key file, as a second machine would hold. */
  private static Path copyOfKeyFile(TokenFixture f) throws Exception {
    Path copy = TestDatabases.tempDir("kek-copy-").resolve("kek.json");
    Files.copy(f.b.kekFile(), copy);
    return copy;
  }

  private static NewSecret secret(String name, String value) {
    return new NewSecret(
        name, "openai", "model-access", "production", "AI Platform", List.of(), value, null);
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void checkKek_afterAnotherNodeRotated_isStaleUntilTheNewKeyFileIsInPlace(TestStore store)
      throws Exception {
    Path copy;
    try (var f = TokenFixture.start(store)) {
      copy = copyOfKeyFile(f);
      try (BrokerCore other = f.b.otherNode(copy)) {
        assertThat(other.missingKek()).isEmpty();

        KekRotationResult r = f.b.core().vault().rotateKek();
        Secret after =
            f.b.vault().create(f.b.root(), secret("after-rotation", "sk-after-0123456789"));
        other.checkKek();
        f.b.core().checkKek();

        assertThat(other.missingKek()).contains(r.newKeyId());
        assertThat(f.b.core().missingKek()).as("the node that rotated holds it").isEmpty();

        Files.copy(f.b.kekFile(), copy, StandardCopyOption.REPLACE_EXISTING); // the operator
        other.checkKek();

        assertThat(other.missingKek()).isEmpty();
        assertThat(other.cleartext().current(after.id())).isEqualTo("sk-after-0123456789");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void checkKek_nodesSharingTheKeyFile_theOtherTakesUpTheRotatedKeyAtOnce(TestStore store) {
    try (var f = TokenFixture.start(store);
        BrokerCore other = f.b.otherNode()) {
      f.b.core().vault().rotateKek();
      Secret after =
          f.b.vault().create(f.b.root(), secret("after-rotation", "sk-after-0123456789"));

      other.checkKek();

      assertThat(other.missingKek()).isEmpty();
      assertThat(other.cleartext().current(after.id())).isEqualTo("sk-after-0123456789");
    }
  }

  @Test
  void rotateKek_onPostgres_theOtherNodeKnowsWithoutWaitingForItsCheck() throws Exception {
    try (var f = TokenFixture.start(TestStore.POSTGRES);
        BrokerCore other = f.b.otherNode(copyOfKeyFile(f))) {
      assertThat(other.changes().awaitListening(Duration.ofSeconds(10))).isTrue();
      CountDownLatch arrived = new CountDownLatch(2); // at the start and at the end
      other.changes().on(Topic.KEK, k -> k.ifPresent(id -> arrived.countDown()));

      KekRotationResult r = f.b.core().vault().rotateKek();

      assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(other.missingKek()).isEqualTo(Optional.of(r.newKeyId()));
    }
  }

  /**
   * Found by sending every route's requests at once: two rotations on one node at the same time
   * left data keys wrapped by a key the second had dropped. Now one runs and the others are
   * refused, and every value still opens.
   */
  @ParameterizedTest
  @EnumSource(TestStore.class)
  void rotateKek_manyAtOnceOnOneNode_oneAtATimeAndEveryValueStillOpens(TestStore store)
      throws Exception {
    try (var f = TokenFixture.start(store)) {
      Secret a = f.b.vault().create(f.b.root(), secret("kek-race-a", "sk-race-a-0123456789"));
      Secret b = f.b.vault().create(f.b.root(), secret("kek-race-b", "sk-race-b-0123456789"));
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(4);
      int refused = 0;
      try {
        List<java.util.concurrent.Future<KekRotationResult>> runs = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
          runs.add(pool.submit(() -> f.b.core().vault().rotateKek()));
        }
        for (var r : runs) {
          try {
            r.get(60, TimeUnit.SECONDS);
          } catch (java.util.concurrent.ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(io.secretsapi.ConflictException.class);
            refused++;
          }
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(refused).isLessThan(8);
      assertThat(f.b.core().cleartext().current(a.id())).isEqualTo("sk-race-a-0123456789");
      assertThat(f.b.core().cleartext().current(b.id())).isEqualTo("sk-race-b-0123456789");
      assertThat(f.b.core().missingKek()).isEmpty();
    }
  }
}
