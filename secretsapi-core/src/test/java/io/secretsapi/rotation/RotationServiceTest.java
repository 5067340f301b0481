package io.secretsapi.rotation;

import static io.secretsapi.rotation.RotationFixture.engine;
import static io.secretsapi.rotation.RotationFixture.generated;
import static io.secretsapi.rotation.RotationFixture.none;
import static io.secretsapi.rotation.RotationFixture.secret;
import static io.secretsapi.rotation.RotationFixture.trail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsapi.ValidationException;
import io.secretsapi.access.Caller;
import io.secretsapi.access.Scope;
import io.secretsapi.audit.AuditEvent;
import io.secretsapi.secret.Secret;
import io.secretsapi.secret.SecretNotFoundException;
import io.secretsapi.secret.SecretSealedException;
import io.secretsapi.secret.SecretVersion;
import io.secretsapi.testing.Broker;
import io.secretsapi.testing.TestStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RotationServiceTest {
  static final String CANARY = "sk_live_CANARY_7d1e4c9a2b3f8e60_rot";

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void runDue_generatedRotator_promotesWithGraceThenSealsAtGraceEnd(TestStore store) {
    try (Broker b = Broker.start(store)) {
      RotationService rot = engine(b.leading(), b);
      Secret s = secret(b, "gen", "static", CANARY);
      rot.configure(b.root(), s.id(), generated(24, "hex", "10m"));

      RotationJob q = rot.queue(b.root(), s.id(), Trigger.OPERATOR, "routine", none());
      assertThat(q.id()).startsWith("ROT-");
      assertThat(q.state()).isEqualTo(RotationState.QUEUED);
      assertThat(b.cleartext().current(s.id())).isEqualTo(CANARY);

      rot.runDue();
      RotationJob r = rot.get(b.root(), q.id());
      assertThat(r.state()).isEqualTo(RotationState.PREVIOUS);
      assertThat(r.fromVersion()).contains(1);
      assertThat(r.toVersion()).contains(2);
      assertThat(r.graceUntil()).contains(b.clock().instant().plus(Duration.ofMinutes(10)));
      String fresh = b.cleartext().current(s.id());
      assertThat(fresh).matches("[0-9a-f]{24}");
      assertThat(b.vault().get(b.root(), s.id()).id()).isEqualTo(s.id());
      assertThat(b.cleartext().version(s.id(), 1, b.clock().instant())).isEqualTo(CANARY);

      b.clock().advance(Duration.ofMinutes(10));
      rot.runDue();
      assertThat(rot.get(b.root(), q.id()).state()).isEqualTo(RotationState.SEALED);
      assertThat(b.vault().versions(b.root(), s.id()))
          .extracting(SecretVersion::version, SecretVersion::state)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(2, "current"),
              org.assertj.core.groups.Tuple.tuple(1, "sealed"));
      assertThat(trail(b, s.id(), "rotation."))
          .containsExactly(
              "rotation.settings",
              "rotation.queued",
              "rotation.pending",
              "rotation.validated",
              "rotation.promoted",
              "rotation.previous",
              "rotation.sealed");
      assertThat(AuditEvent.familyOf("rotation.promoted", "done")).isEqualTo("rotation");
      assertThat(allReasons(b)).doesNotContain(CANARY).doesNotContain(fresh);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void queue_sameIdempotencyKey_isOneRotation(TestStore store) {
    try (Broker b = Broker.start(store)) {
      RotationService rot = engine(b.leading(), b);
      Secret s = secret(b, "gen", "generated", null);
      RotationJob first = rot.queue(b.root(), s.id(), Trigger.OPERATOR, "a", Optional.of("k-1"));
      rot.runDue();
      RotationJob again = rot.queue(b.root(), s.id(), Trigger.OPERATOR, "a", Optional.of("k-1"));
      assertThat(again.id()).isEqualTo(first.id());
      assertThat(rot.list(b.root(), Optional.of(s.id()), Optional.empty(), 50)).hasSize(1);
      assertThat(b.vault().get(b.root(), s.id()).currentVersion()).isEqualTo(2);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void queue_whileOneIsInFlight_joinsIt(TestStore store) {
    try (Broker b = Broker.start(store)) {
      RotationService rot = engine(b.leading(), b);
      Secret s = secret(b, "gen", "generated", null);
      RotationJob first = rot.queue(b.root(), s.id(), Trigger.EXPOSURE, "score 0.82", none());
      RotationJob second = rot.queueAsBroker(s.id(), Trigger.INCIDENT, "IN-1", none());
      assertThat(second.id()).isEqualTo(first.id());
      assertThat(rot.list(b.root(), Optional.empty(), Optional.of(RotationState.QUEUED), 50))
          .extracting(RotationJob::id)
          .containsExactly(first.id());
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void queue_badInput_namesFieldAndQueuesNothing(TestStore store) {
    try (Broker b = Broker.start(store)) {
      RotationService rot = engine(b.leading(), b);
      Secret st = secret(b, "static", "static", CANARY);
      assertThatThrownBy(() -> rot.queue(b.root(), st.id(), Trigger.OPERATOR, "x", none()))
          .isInstanceOf(ValidationException.class)
          .extracting(e -> ((ValidationException) e).field())
          .isEqualTo("rotator");
      assertThatThrownBy(() -> rot.queue(b.root(), "sec_unknown", Trigger.OPERATOR, "x", none()))
          .isInstanceOf(SecretNotFoundException.class);
      Secret gen = secret(b, "gen", "generated", null);
      assertThatThrownBy(
              () -> rot.queue(b.root(), gen.id(), Trigger.OPERATOR, "leaked " + CANARY, none()))
          .isInstanceOf(ValidationException.class)
          .extracting(e -> ((ValidationException) e).field())
          .isEqualTo("reason");
      assertThatThrownBy(() -> rot.configure(b.root(), gen.id(), generated(8, "alnum", "1h")))
          .extracting(e -> ((ValidationException) e).field())
          .isEqualTo("length");
      assertThatThrownBy(() -> rot.configure(b.root(), gen.id(), generated(32, "aa", "1h")))
          .extracting(e -> ((ValidationException) e).field())
          .isEqualTo("alphabet");
      assertThatThrownBy(() -> rot.configure(b.root(), gen.id(), generated(32, "alnum", "31d")))
          .extracting(e -> ((ValidationException) e).field())
          .isEqualTo("grace");
      Caller reader = b.callerWith(Scope.SECRETS_READ);
      assertThatThrownBy(() -> rot.queue(reader, gen.id(), Trigger.OPERATOR, "x", none()))
          .isInstanceOf(io.secretsapi.access.PermissionDeniedException.class);
      b.vault().delete(b.root(), gen.id());
      assertThatThrownBy(() -> rot.queue(b.root(), gen.id(), Trigger.OPERATOR, "x", none()))
          .isInstanceOf(SecretSealedException.class);
      assertThat(rot.list(b.root(), Optional.empty(), Optional.empty(), 50)).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void getAndList_otherAccount_seesNothing(TestStore store) {
    try (Broker b = Broker.start(store)) {
      RotationService rot = engine(b.leading(), b);
      Secret s = secret(b, "gen", "generated", null);
      RotationJob q = rot.queue(b.root(), s.id(), Trigger.OPERATOR, "x", none());
      Caller other = b.callerWith(Scope.SECRETS_WRITE, Scope.SECRETS_READ);
      assertThatThrownBy(() -> rot.get(other, q.id()))
          .isInstanceOf(RotationNotFoundException.class);
      assertThat(rot.list(other, Optional.empty(), Optional.empty(), 50)).isEmpty();
      assertThatThrownBy(() -> rot.queue(other, s.id(), Trigger.OPERATOR, "x", none()))
          .isInstanceOf(SecretNotFoundException.class);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void runDue_schedule_queuesOneRotationPerPeriod(TestStore store) {
    try (Broker b = Broker.start(store)) {
      RotationService rot = engine(b.leading(), b);
      Secret s = secret(b, "gen", "generated", null);
      rot.configure(
          b.root(),
          s.id(),
          new RotationSettings.Input(
              "generated", "0s", "5m", null, null, null, null, null, null, null));
      rot.runDue();
      assertThat(rot.list(b.root(), Optional.of(s.id()), Optional.empty(), 50)).isEmpty();
      b.clock().advance(Duration.ofMinutes(5));
      rot.runDue();
      rot.runDue();
      List<RotationJob> jobs = rot.list(b.root(), Optional.of(s.id()), Optional.empty(), 50);
      assertThat(jobs).hasSize(1);
      assertThat(jobs.get(0).trigger()).isEqualTo(Trigger.SCHEDULE);
      assertThat(jobs.get(0).state()).isEqualTo(RotationState.SEALED); // grace 0s
      assertThat(b.vault().get(b.root(), s.id()).currentVersion()).isEqualTo(2);
      b.clock().advance(Duration.ofMinutes(5));
      rot.runDue();
      assertThat(rot.list(b.root(), Optional.of(s.id()), Optional.empty(), 50)).hasSize(2);
    }
  }

  private static RotationSettings.Input cron(String every, String cron) {
    return new RotationSettings.Input(
        "generated", "0s", every, null, null, null, null, null, null, null, cron);
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void runDue_cronSchedule_queuesAtEachFiringInUtc(TestStore store) {
    try (Broker b = Broker.start(store)) {
      RotationService rot = engine(b.leading(), b);
      Secret s = secret(b, "gen", "generated", null);
      RotationSettings set =
          rot.configure(b.root(), s.id(), cron(null, "  30 3 * * *  ")).settings();
      java.time.Instant first = set.nextDueAt().orElseThrow();
      assertThat(set.cron()).contains("30 3 * * *");
      assertThat(first.atZone(java.time.ZoneOffset.UTC).toLocalTime())
          .isEqualTo(java.time.LocalTime.of(3, 30));
      assertThat(first).isAfter(b.clock().instant());
      assertThat(Duration.between(b.clock().instant(), first))
          .isLessThanOrEqualTo(Duration.ofDays(1));

      rot.runDue();
      assertThat(rot.list(b.root(), Optional.of(s.id()), Optional.empty(), 50)).isEmpty();
      b.clock().advance(Duration.between(b.clock().instant(), first));
      rot.runDue();
      rot.runDue();

      List<RotationJob> jobs = rot.list(b.root(), Optional.of(s.id()), Optional.empty(), 50);
      assertThat(jobs)
          .singleElement()
          .satisfies(
              j -> {
                assertThat(j.trigger()).isEqualTo(Trigger.SCHEDULE);
                assertThat(j.reason()).isEqualTo("scheduled, cron 30 3 * * * (UTC)");
              });
      assertThat(rot.settings(b.root(), s.id()).orElseThrow().nextDueAt())
          .contains(first.plus(Duration.ofDays(1)));
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void configure_badCron_refusedNamingCronAndNothingStored(TestStore store) {
    try (Broker b = Broker.start(store)) {
      RotationService rot = engine(b.leading(), b);
      Secret s = secret(b, "gen", "generated", null);

      for (var bad :
          List.of(
              List.of("61 * * * *", "format"),
              List.of("0 3 * *", "format"),
              List.of("* * * * *", "range"),
              List.of("*/2 * * * *", "range"))) {
        assertThatThrownBy(() -> rot.configure(b.root(), s.id(), cron(null, bad.get(0))))
            .as(bad.get(0))
            .isInstanceOfSatisfying(
                ValidationException.class,
                e -> {
                  assertThat(e.field()).isEqualTo("cron");
                  assertThat(e.rule()).isEqualTo(bad.get(1));
                });
      }
      assertThatThrownBy(() -> rot.configure(b.root(), s.id(), cron("1d", "0 3 * * 1")))
          .isInstanceOfSatisfying(
              ValidationException.class, e -> assertThat(e.rule()).isEqualTo("exclusive"));
      assertThat(rot.settings(b.root(), s.id())).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void runDue_probeRefusesPendingValue_failsAndOldValueStaysCurrent(TestStore store) {
    try (Broker b = Broker.start(store)) {
      RotationService rot = engine(b.leading(), b);
      Secret s = secret(b, "gen", "static", CANARY);
      rot.configure(b.root(), s.id(), generated(32, "alnum", "1h"));
      rot.useProbe((secret, pending) -> Optional.of("the provider refused the key (HTTP 401)"));
      RotationJob q = rot.queue(b.root(), s.id(), Trigger.OPERATOR, "x", none());
      rot.runDue();
      RotationJob r = rot.get(b.root(), q.id());
      assertThat(r.state()).isEqualTo(RotationState.FAILED);
      assertThat(r.failure()).get().asString().contains("HTTP 401");
      assertThat(b.cleartext().current(s.id())).isEqualTo(CANARY);
      assertThat(b.vault().versions(b.root(), s.id()))
          .extracting(SecretVersion::version, SecretVersion::state)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(2, "sealed"),
              org.assertj.core.groups.Tuple.tuple(1, "current"));
      assertThat(trail(b, s.id(), "rotation.")).endsWith("rotation.pending", "rotation.failed");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void runDue_manualRotationOvertakesPending_failsCleanly(TestStore store) {
    try (Broker b = Broker.start(store)) {
      RotationService rot = engine(b.leading(), b);
      Secret s = secret(b, "gen", "static", CANARY);
      rot.configure(b.root(), s.id(), generated(32, "alnum", "1h"));
      rot.onBoundary(
          (point, job) -> {
            if (point.equals("pending")) {
              throw new Stop();
            }
          });
      RotationJob q = rot.queue(b.root(), s.id(), Trigger.OPERATOR, "x", none());
      try {
        rot.runDue();
      } catch (Stop expected) {
        // the engine stopped with version 2 pending
      }
      b.vault().rotate(b.root(), s.id(), Optional.of("manual-value-0123456789"), Optional.empty());
      rot.onBoundary((point, job) -> {});
      rot.runDue();
      assertThat(rot.get(b.root(), q.id()).state()).isEqualTo(RotationState.FAILED);
      assertThat(b.cleartext().current(s.id())).isEqualTo("manual-value-0123456789");
    }
  }

  static final class Stop extends Error {
    private static final long serialVersionUID = 1L;
  }

  static String allReasons(Broker b) {
    List<String> reasons =
        b.db()
            .read(
                h ->
                    h.createQuery(
                            "SELECT reason FROM audit_records UNION ALL SELECT reason FROM rotations")
                        .mapTo(String.class)
                        .list());
    return String.join("\n", reasons);
  }
}
