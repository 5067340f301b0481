package io.secretsapi.rotation;

import static io.secretsapi.rotation.RotationFixture.engine;
import static io.secretsapi.rotation.RotationFixture.generated;
import static io.secretsapi.rotation.RotationFixture.none;
import static io.secretsapi.rotation.RotationFixture.secret;
import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.access.Scope;
import io.secretsapi.secret.Secret;
import io.secretsapi.testing.Broker;
import io.secretsapi.testing.TestStore;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The console header band's rotation queue: open rotations by state, of the caller's account. */
class RotationOpenCountsTest {

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void openCounts_queuedAndInGrace_countedUntilSealedAndOnlyForTheirAccount(TestStore store) {
    try (Broker b = Broker.start(store)) {
      RotationService rot = engine(b.leading(), b);
      Secret first = secret(b, "first", "static", "sk_live_first_0123456789abcdef");
      Secret second = secret(b, "second", "static", "sk_live_second_0123456789abcdef");
      rot.configure(b.root(), first.id(), generated(24, "hex", "10m"));
      rot.configure(b.root(), second.id(), generated(24, "hex", "10m"));
      rot.queue(b.root(), first.id(), Trigger.OPERATOR, "routine", none());
      rot.runDue(); // the first is promoted, its old value in its grace window
      rot.queue(b.root(), second.id(), Trigger.OPERATOR, "routine", none());

      assertThat(rot.openCounts(b.root()))
          .isEqualTo(Map.of(RotationState.PREVIOUS, 1L, RotationState.QUEUED, 1L));
      assertThat(rot.openCounts(b.callerWith(Scope.SECRETS_READ))).isEmpty();

      b.clock().advance(Duration.ofMinutes(10));
      rot.runDue(); // the first sealed, the second run to its grace window
      assertThat(rot.openCounts(b.root())).isEqualTo(Map.of(RotationState.PREVIOUS, 1L));
    }
  }
}
