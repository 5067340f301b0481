package io.secretsapi.rotation;

import static io.secretsapi.rotation.RotationFixture.generated;
import static io.secretsapi.rotation.RotationFixture.none;
import static io.secretsapi.rotation.RotationFixture.secret;
import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.secret.CleartextSecrets;
import io.secretsapi.secret.Secret;
import io.secretsapi.secret.Vault;
import io.secretsapi.testing.Broker;
import io.secretsapi.testing.TestStore;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A broker stopped at every boundary of a rotation, as by kill -9: the engine is stopped dead (an
 * Error thrown from the boundary, so nothing after it runs, as after a kill the process runs
 * nothing), and a fresh engine over a fresh vault on the same store resumes. Every transition is
 * one transaction, so a kill inside one rolls it back to the boundary before it: the boundaries are
 * every point a kill can leave behind.
 */
class CrashResumeTest {
  static final List<String> POINTS =
      List.of("made", "pending", "validated", "promoted", "previous", "sealed");

  static final class Killed extends Error {
    private static final long serialVersionUID = 1L;
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void runDue_killedAtEveryBoundary_oldOrNewValueCurrentAndResumesToTheEnd(TestStore store) {
    try (Broker b = Broker.start(store)) {
      b.leading();
      for (String point : POINTS) {
        String old = "value-before-rotation-" + point + "-0123456789";
        Secret s = secret(b, "crash-" + point, "static", old);
        RotationService first = RotationFixture.engine(b.core(), b);
        first.configure(b.root(), s.id(), generated(32, "alnum", "5m"));
        first.onBoundary(
            (at, job) -> {
              if (at.equals(point)) {
                throw new Killed();
              }
            });
        RotationJob q =
            first.queue(b.root(), s.id(), Trigger.OPERATOR, "crash at " + point, none());
        boolean killed = false;
        try {
          first.runDue();
          b.clock().advance(Duration.ofMinutes(5));
          first.runDue();
        } catch (Killed k) {
          killed = true;
        }
        assertThat(killed).as("killed at %s", point).isTrue();
        assertOldOrNew(b, s, old, point);

        // restart: nothing of the first engine survives but the store
        Vault vault = b.reopenVault();
        CleartextSecrets cleartext = new CleartextSecrets(b.db(), b.envelope(), b.clock());
        RotationService second =
            new RotationService(
                b.db(),
                vault,
                cleartext,
                b.core().audit(),
                b.core().leadership(),
                b.clock(),
                true,
                Duration.ofMillis(10));
        second.runDue();
        b.clock().advance(Duration.ofMinutes(5));
        second.runDue();
        RotationJob end = second.get(b.root(), q.id());
        assertThat(end.state())
            .as("state after resuming from %s", point)
            .isEqualTo(RotationState.SEALED);
        assertThat(cleartext.current(s.id())).isNotEqualTo(old).hasSize(32);
        assertThat(currentRows(b, s.id())).isEqualTo(1);
      }
    }
  }

  /** Exactly one current version, and it opens: the old value or the new, never neither. */
  private static void assertOldOrNew(Broker b, Secret s, String old, String point) {
    assertThat(currentRows(b, s.id()))
        .as("current versions after a kill at %s", point)
        .isEqualTo(1);
    String current = b.cleartext().current(s.id());
    boolean promoted = List.of("promoted", "previous", "sealed").contains(point);
    if (promoted) {
      assertThat(current).as("after a kill at %s", point).isNotEqualTo(old).hasSize(32);
    } else {
      assertThat(current).as("after a kill at %s", point).isEqualTo(old);
    }
  }

  private static int currentRows(Broker b, String id) {
    return b.db()
        .read(
            h ->
                h.createQuery(
                        "SELECT COUNT(*) FROM secret_versions v JOIN secrets s ON s.id = v.secret_id"
                            + " WHERE v.secret_id = :id AND v.state = 'current'"
                            + " AND v.version = s.current_version AND v.ciphertext IS NOT NULL")
                    .bind("id", id)
                    .mapTo(Integer.class)
                    .one());
  }
}
