package io.secretsapi.exposure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.secretsapi.ValidationException;
import io.secretsapi.access.Caller;
import io.secretsapi.access.Scope;
import io.secretsapi.incident.Incident;
import io.secretsapi.policy.PolicyDeniedException;
import io.secretsapi.rotation.RotationJob;
import io.secretsapi.rotation.RotationSettings;
import io.secretsapi.rotation.Trigger;
import io.secretsapi.testing.TestStore;
import io.secretsapi.testing.TokenFixture;
import io.secretsapi.token.IssueRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The seeded scenarios of issue 21's first acceptance point: a burst of calls, new callers,
 * refusals and an old value each move a secret's score by what its explanation says, and a
 * threshold crossed acts exactly once.
 */
class ExposureServiceTest {
  private static final Duration WINDOW = Duration.ofSeconds(10);

  private static ExposureService exposure(TokenFixture f) {
    ExposureService x = f.b.core().exposure();
    x.configure(new ExposureSettings(true, WINDOW, 0.8, "rotate"));
    return x;
  }

  private static void issue(TokenFixture f, Caller who, int times) {
    for (int i = 0; i < times; i++) {
      f.b
          .core()
          .tokens()
          .issue(
              who,
              new IssueRequest(f.secret.id(), "model-access", "60s", null, "production", null),
              Optional.empty());
    }
  }

  private static Exposure scoreOf(TokenFixture f, ExposureService x) {
    x.evaluate();
    return x.ranked(f.b.root(), "secret", 10).stream()
        .filter(e -> e.id().equals(f.secret.id()))
        .findFirst()
        .orElseThrow();
  }

  private static Map<String, Factor> factors(Exposure e) {
    return e.factors().stream().collect(Collectors.toMap(Factor::name, Function.identity()));
  }

  private static void assertExplained(Exposure e) {
    double sum = e.factors().stream().mapToDouble(Factor::contribution).sum();
    assertThat(e.score()).isCloseTo(sum, within(0.002));
    assertThat(e.factors().stream().mapToDouble(Factor::weight).sum()).isCloseTo(1, within(1e-9));
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void evaluate_burstOfCalls_velocityRaisesScoreByItsWeight(TestStore store) {
    try (TokenFixture f = TokenFixture.start(store)) {
      ExposureService x = exposure(f);
      issue(f, f.agent, 2);
      Exposure calm = scoreOf(f, x);
      issue(f, f.agent, 18); // 20 calls in a 10 s window: 120 a minute, the velocity's full mark
      Exposure burst = scoreOf(f, x);

      assertExplained(calm);
      assertExplained(burst);
      assertThat(factors(calm).get("call_velocity").value()).isCloseTo(0.1, within(0.001));
      assertThat(factors(burst).get("call_velocity").value()).isEqualTo(1.0);
      assertThat(factors(burst).get("call_velocity").detail()).startsWith("20 calls in 10.0s");
      assertThat(burst.score() - calm.score()).isCloseTo(0.9 * Model.W_VELOCITY, within(0.002));
      assertThat(burst.delta()).isCloseTo(burst.score() - calm.score(), within(0.002));
      assertThat(factors(burst).get("scope_breadth").value()).isGreaterThan(0);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void evaluate_newCallersAfterBaseline_driftAndCallersNameThem(TestStore store) {
    try (TokenFixture f = TokenFixture.start(store)) {
      ExposureService x = exposure(f);
      issue(f, f.agent, 1);
      Exposure baseline = scoreOf(f, x);
      f.b.clock().advance(WINDOW.plusSeconds(1)); // the first window was the baseline
      issue(f, f.agent, 1);
      Exposure known = scoreOf(f, x);
      List<String> newcomers = List.of("agent-runtime-05", "agent-runtime-06", "agent-runtime-07");
      for (String name : newcomers) {
        issue(f, f.b.principal(name, Scope.TOKENS_ISSUE), 1);
      }
      Exposure drifted = scoreOf(f, x);

      assertThat(baseline.drift().size()).isZero();
      assertThat(known.drift().size()).isZero();
      assertThat(drifted.drift().callers()).containsExactlyInAnyOrderElementsOf(newcomers);
      assertThat(factors(drifted).get("drift").value()).isEqualTo(1.0);
      assertThat(factors(drifted).get("distinct_callers").value()).isCloseTo(0.75, within(0.001));
      assertThat(factors(drifted).get("distinct_callers").detail())
          .startsWith("4 distinct callers");
      assertExplained(drifted);
      double expected =
          Model.W_DRIFT
              + 0.75 * Model.W_CALLERS
              + (factors(drifted).get("call_velocity").value()
                      - factors(known).get("call_velocity").value())
                  * Model.W_VELOCITY;
      assertThat(drifted.score() - known.score()).isCloseTo(expected, within(0.003));
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void evaluate_refusedCalls_refusalsFactorCountsThem(TestStore store) {
    try (TokenFixture f = TokenFixture.start(store)) {
      ExposureService x = exposure(f);
      Caller intruder = f.b.principal("scraper-01", Scope.TOKENS_ISSUE); // no policy lets it
      for (int i = 0; i < 5; i++) {
        assertThatThrownBy(() -> issue(f, intruder, 1)).isInstanceOf(PolicyDeniedException.class);
      }
      Exposure e = scoreOf(f, x);

      assertThat(factors(e).get("refusals").value()).isCloseTo(0.5, within(0.001));
      assertThat(factors(e).get("refusals").detail()).isEqualTo("5 refused calls in the window");
      assertThat(factors(e).get("call_velocity").value()).isZero();
      assertExplained(e);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void evaluate_oldValue_ageFactorGrowsWithDaysSinceSet(TestStore store) {
    try (TokenFixture f = TokenFixture.start(store)) {
      ExposureService x = exposure(f);
      issue(f, f.agent, 1);
      Exposure fresh = scoreOf(f, x);
      f.b.clock().advance(Duration.ofDays(45));
      issue(f, f.agent, 1);
      x.configure(new ExposureSettings(true, WINDOW, 0.8, "rotate")); // a restart's fresh counters
      issue(f, f.agent, 1);
      Exposure old = scoreOf(f, x);

      assertThat(factors(fresh).get("value_age").value()).isZero();
      assertThat(factors(old).get("value_age").value()).isCloseTo(0.5, within(0.001));
      assertThat(factors(old).get("value_age").detail()).contains("45.0 days");
      assertExplained(old);
    }
  }

  /** A real action: records the crossing as on main, and keeps what it was asked to queue. */
  private static final class Queue implements ExposureActions {
    final List<String> keys = new ArrayList<>();
    final ExposureActions recording;

    Queue(ExposureActions recording) {
      this.recording = recording;
    }

    @Override
    public synchronized String thresholdCrossed(Handle h, Crossing c) {
      keys.add(c.key());
      return recording.thresholdCrossed(h, c);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void evaluate_scoreStaysAboveThreshold_queuesExactlyOneRotation(TestStore store) {
    try (TokenFixture f = TokenFixture.start(store)) {
      ExposureService x = exposure(f);
      Queue queue = new Queue(x.actions());
      x.actions(queue);
      x.setThreshold(f.b.root(), new Threshold("secret", f.secret.id(), 0.25, "rotate"));
      issue(f, f.agent, 2);
      assertThat(x.evaluate()).isEmpty();
      issue(f, f.agent, 20);
      List<Crossing> first = x.evaluate();
      for (int i = 0; i < 5; i++) {
        issue(f, f.agent, 3); // still above: no second rotation
        assertThat(x.evaluate()).isEmpty();
      }
      f.b.clock().advance(WINDOW.multipliedBy(2)); // quiet: the score falls and re-arms
      assertThat(x.evaluate()).isEmpty();
      issue(f, f.agent, 25);
      List<Crossing> second = x.evaluate();

      assertThat(first).hasSize(1);
      assertThat(first.get(0).score()).isGreaterThanOrEqualTo(0.25);
      assertThat(first.get(0).thresholdSource()).isEqualTo("secret");
      assertThat(first.get(0).wording())
          .startsWith("anomaly score exceeded threshold · score ")
          .contains(" · Δ +", " · window ");
      assertThat(second).hasSize(1);
      assertThat(queue.keys)
          .containsExactly("exposure:" + f.secret.id() + ":1", "exposure:" + f.secret.id() + ":2");
      SecretExposure s = x.secret(f.b.root(), f.secret.id(), 50);
      assertThat(s.replay())
          .filteredOn(r -> r.type().equals("exposure.threshold"))
          .hasSize(2)
          .allSatisfy(
              r -> {
                assertThat(r.id()).startsWith("EX-");
                assertThat(r.title()).isEqualTo("anomaly score exceeded threshold");
                assertThat(r.detail()).startsWith("score ");
              });
      assertThat(s.history()).isNotEmpty();
      assertThat(s.current()).isPresent();
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void evaluate_rotateThresholdCrossed_queuesOneExposureRotationNamedInTheRecord(TestStore store) {
    try (TokenFixture f = TokenFixture.start(store)) {
      ExposureService x = exposure(f);
      f.b
          .core()
          .rotations()
          .configure(
              f.b.root(),
              f.secret.id(),
              new RotationSettings.Input(
                  "generated", "10m", null, 40, "alnum", null, null, null, null, null));
      x.setThreshold(f.b.root(), new Threshold("secret", f.secret.id(), 0.25, "rotate"));
      issue(f, f.agent, 25);
      List<Crossing> crossed = x.evaluate();
      for (int i = 0; i < 3; i++) {
        issue(f, f.agent, 3);
        x.evaluate();
      }

      List<RotationJob> queued =
          f.b.core().rotations().list(f.b.root(), Optional.of(f.secret.id()), Optional.empty(), 10);
      assertThat(crossed).hasSize(1);
      assertThat(queued)
          .singleElement()
          .satisfies(
              j -> {
                assertThat(j.trigger()).isEqualTo(Trigger.EXPOSURE);
                assertThat(j.idempotencyKey()).contains(crossed.get(0).key());
                assertThat(j.reason()).startsWith("anomaly score exceeded threshold · score ");
              });
      assertThat(x.secret(f.b.root(), f.secret.id(), 50).replay())
          .filteredOn(r -> r.type().equals("exposure.threshold"))
          .singleElement()
          .satisfies(
              r -> assertThat(r.detail()).endsWith("rotation " + queued.get(0).id() + " queued"));
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void evaluate_rotateThresholdOnSecretWithoutRotator_recordsWhyNothingQueued(TestStore store) {
    try (TokenFixture f = TokenFixture.start(store)) {
      ExposureService x = exposure(f);
      x.setThreshold(f.b.root(), new Threshold("secret", f.secret.id(), 0.25, "rotate"));
      issue(f, f.agent, 25);

      assertThat(x.evaluate()).hasSize(1);
      assertThat(
              f.b
                  .core()
                  .rotations()
                  .list(f.b.root(), Optional.of(f.secret.id()), Optional.empty(), 10))
          .isEmpty();
      assertThat(x.secret(f.b.root(), f.secret.id(), 50).replay())
          .filteredOn(r -> r.type().equals("exposure.threshold"))
          .singleElement()
          .satisfies(r -> assertThat(r.detail()).contains("no rotation queued"));
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void evaluate_incidentThresholdCrossed_opensOneIncidentAsExposure(TestStore store) {
    try (TokenFixture f = TokenFixture.start(store)) {
      ExposureService x = exposure(f);
      x.setThreshold(f.b.root(), new Threshold("secret", f.secret.id(), 0.25, "incident"));
      issue(f, f.agent, 25);
      List<Crossing> crossed = x.evaluate();

      List<Incident> open = f.b.core().incidents().list(f.b.root(), Optional.of("open"), 10);
      assertThat(crossed).hasSize(1);
      assertThat(open)
          .singleElement()
          .satisfies(
              in -> {
                assertThat(in.secretId()).isEqualTo(f.secret.id());
                assertThat(in.openedBy()).isEqualTo("exposure");
                assertThat(in.reason()).contains(crossed.get(0).key());
              });
      assertThatThrownBy(() -> issue(f, f.agent, 1))
          .as("contained: no new grant")
          .isInstanceOf(RuntimeException.class);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void evaluate_twoNodesAboveThreshold_oneCrossingBetweenThem(TestStore store) {
    try (TokenFixture f = TokenFixture.start(store);
        var other = f.b.otherNode()) {
      ExposureService a = exposure(f);
      ExposureService b = other.exposure();
      b.configure(new ExposureSettings(true, WINDOW, 0.3, "rotate"));
      a.configure(new ExposureSettings(true, WINDOW, 0.3, "rotate"));
      issue(f, f.agent, 30);
      // node b serves the same secret: its counters see its own calls
      for (int i = 0; i < 30; i++) {
        other
            .tokens()
            .issue(
                f.agent,
                new IssueRequest(f.secret.id(), "model-access", "60s", null, "production", null),
                Optional.empty());
      }
      int crossings = a.evaluate().size() + b.evaluate().size();
      crossings += a.evaluate().size() + b.evaluate().size();

      assertThat(crossings).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void setThreshold_outOfRange_refusedByFieldAndNothingStored(TestStore store) {
    try (TokenFixture f = TokenFixture.start(store)) {
      ExposureService x = exposure(f);
      assertThatThrownBy(() -> new Threshold("secret", f.secret.id(), 1.5, "rotate"))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("threshold");
      assertThatThrownBy(() -> new Threshold("team", "x", 0.5, "rotate"))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("target_kind");
      assertThatThrownBy(() -> x.ranked(f.b.root(), "principal", 10))
          .isInstanceOf(ValidationException.class);
      assertThat(x.thresholds(f.b.root())).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void configure_disabled_countsNothing(TestStore store) {
    try (TokenFixture f = TokenFixture.start(store)) {
      ExposureService x = f.b.core().exposure();
      x.configure(new ExposureSettings(false, WINDOW, 0.8, "rotate"));
      issue(f, f.agent, 3);
      assertThat(x.evaluate()).isEmpty();
      assertThat(x.ranked(f.b.root(), "secret", 10)).isEmpty();
      assertThat(x.ranked(f.b.root(), "token", 10)).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void ranked_tokens_liveTokensWithTheirGrantBreadth(TestStore store) {
    try (TokenFixture f = TokenFixture.start(store)) {
      ExposureService x = exposure(f);
      for (int i = 0; i < 3; i++) {
        var t =
            f.b
                .core()
                .tokens()
                .issue(
                    f.agent,
                    new IssueRequest(
                        f.secret.id(), "model-access", "60s", null, "production", null),
                    Optional.empty());
        f.b.core().tokens().resolve(t.token(), Optional.empty(), Optional.empty());
      }
      issue(f, f.agent, 2); // issued, never used: not followed
      List<Exposure> tokens = x.ranked(f.b.root(), "token", 10);

      assertThat(tokens).hasSize(3);
      assertThat(tokens).allSatisfy(t -> assertThat(t.secretId()).isEqualTo(f.secret.id()));
      assertThat(factors(tokens.get(0)).get("scope_breadth").detail())
          .contains("3 operations", "1 hosts", "ttl 60s");
      assertExplained(tokens.get(0));
    }
  }
}
