package io.secretsapi.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsapi.BrokerCore;
import io.secretsapi.ConflictException;
import io.secretsapi.ValidationException;
import io.secretsapi.access.Caller;
import io.secretsapi.access.Scope;
import io.secretsapi.audit.AuditTrail;
import io.secretsapi.rotation.RotationJob;
import io.secretsapi.rotation.RotationSettings;
import io.secretsapi.rotation.Trigger;
import io.secretsapi.secret.NewSecret;
import io.secretsapi.secret.Secret;
import io.secretsapi.testing.TestStore;
import io.secretsapi.testing.TokenFixture;
import io.secretsapi.token.DeriveRequest;
import io.secretsapi.token.InvalidTokenException;
import io.secretsapi.token.IssueRequest;
import io.secretsapi.token.IssuedToken;
import io.secretsapi.token.ProxyGrants;
import io.secretsapi.token.SecretContainedException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Containment in one call, on both stores, and across two nodes on PostgreSQL. */
class IncidentsTest {
  private static final ProxyGrants.Call CALL =
      new ProxyGrants.Call("api.openai.com", "POST", "/v1/chat", Optional.empty());

  private static IssuedToken issue(TokenFixture f, String secretId) {
    return f.b
        .core()
        .tokens()
        .issue(
            f.agent,
            new IssueRequest(secretId, "model-access", "15m", null, "production", null),
            Optional.empty());
  }

  private static IssuedToken child(TokenFixture f, IssuedToken parent) {
    return f.b
        .core()
        .tokens()
        .derive(
            parent.token(),
            new DeriveRequest(List.of("proxy"), null, "5m", null, null, null, null),
            Optional.empty());
  }

  private static Secret generated(TokenFixture f) {
    Secret s =
        f.b
            .vault()
            .create(
                f.b.root(),
                new NewSecret(
                    "gen-key",
                    "openai",
                    "model-access",
                    "production",
                    "AI Platform",
                    List.of(),
                    null,
                    "generated"));
    f.b.core().scopes().define(f.b.root(), s.id(), TokenFixture.modelAccess());
    return s;
  }

  private static Incident open(BrokerCore core, Caller c, String secretId, String reason) {
    return core.incidents().open(c, new NewIncident(secretId, null, reason), Optional.empty());
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void open_secretWithLiveGrants_revokesBlocksAndRecordsEveryStep(TestStore store) {
    try (var f = TokenFixture.start(store)) {
      IssuedToken root = f.issue("15m");
      IssuedToken derived = child(f, root);

      Incident in = open(f.b.core(), f.b.root(), f.secret.id(), "key seen in a public repo");

      assertThat(in.id()).matches("IN-[A-Z2-7]{4}-[A-Z2-7]{4}");
      assertThat(in.state()).isEqualTo("open");
      assertThat(in.timeline()).extracting(Incident.Step::name).isEqualTo(Incident.STEPS);
      assertThat(in.timeline().subList(0, 5))
          .allSatisfy(s -> assertThat(s.state()).as(s.name()).isEqualTo("done"));
      assertThat(in.timeline()).allSatisfy(s -> assertThat(s.auditRef()).isPresent());
      assertThat(in.timeline().get(0).count()).isEqualTo(2);
      assertThat(in.timeline().get(5).state()).as("a static value").isEqualTo("pending");
      assertThat(in.timeline().get(5).detail()).contains("static");
      assertThat(in.containment()).isEqualTo(71); // 5 of 7 steps
      assertThat(in.derivatives()).isEqualTo(new Incident.Derivatives(1, 0));
      assertThat(in.affected())
          .extracting(Incident.Affected::kind, Incident.Affected::name, Incident.Affected::state)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("upstream", "api.openai.com", "blocked"),
              org.assertj.core.groups.Tuple.tuple("principal", "agent-runtime-04", "revoked"));
      for (IssuedToken t : List.of(root, derived)) {
        assertThatThrownBy(() -> f.b.core().verifier().verify(t.token()))
            .isInstanceOf(InvalidTokenException.class);
        assertThatThrownBy(
                () -> f.b.core().tokens().proxy().authorize(t.token(), CALL, Optional.empty()))
            .isInstanceOf(InvalidTokenException.class);
      }
      assertThatThrownBy(() -> f.issue("15m"))
          .isInstanceOf(SecretContainedException.class)
          .hasMessageContaining(in.id());
      var types =
          f
              .b
              .core()
              .trail()
              .read(
                  f.b.root(),
                  new AuditTrail.Filter(
                      Optional.of(f.secret.id()),
                      Optional.empty(),
                      Optional.empty(),
                      Optional.empty(),
                      Optional.empty(),
                      Optional.empty(),
                      500))
              .stream()
              .map(AuditTrail.Stored::record)
              .toList();
      assertThat(types).anyMatch(r -> r.contains("\"incident.open\""));
      assertThat(types.stream().filter(r -> r.contains("\"incident.step\""))).hasSize(7);
      assertThat(f.b.core().incidents().get(f.b.root(), in.id()).timeline())
          .isEqualTo(in.timeline());
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void open_generatedSecret_issuesNarrowerReplacementsTrackedUntilUsed(TestStore store) {
    try (var f = TokenFixture.start(store)) {
      Secret s = generated(f);
      IssuedToken old = issue(f, s.id());

      Incident in = open(f.b.core(), f.b.root(), s.id(), "leaked");

      assertThat(in.timeline().get(5).state()).isEqualTo("done");
      assertThat(in.replacements()).hasSize(1);
      Incident.Replaced r = in.replacements().get(0);
      assertThat(r.principal()).isEqualTo("agent-runtime-04");
      assertThat(r.expiresIn()).isLessThan(Duration.ofMinutes(15).toSeconds()).isPositive();
      assertThat(r.toString()).doesNotContain(r.token());
      assertThatThrownBy(
              () -> f.b.core().tokens().proxy().authorize(old.token(), CALL, Optional.empty()))
          .isInstanceOf(InvalidTokenException.class);
      assertThat(in.affected()).anySatisfy(a -> assertThat(a.state()).isEqualTo("pending"));

      f.b.core().tokens().proxy().authorize(r.token(), CALL, Optional.empty());

      Incident now = f.b.core().incidents().get(f.b.root(), in.id());
      assertThat(now.timeline().get(6).state()).isEqualTo("done");
      assertThat(now.containment()).isEqualTo(100);
      assertThat(now.affected()).anySatisfy(a -> assertThat(a.state()).isEqualTo("re-auth"));
      assertThat(now.replacements()).as("the tokens are shown once").isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void open_badInputThenACanaryReason_refusedByFieldChangingNothingAndTheValueKeptOut(
      TestStore store) {
    try (var f = TokenFixture.start(store)) {
      IssuedToken t = f.issue("15m");
      Caller root = f.b.root();

      assertThatThrownBy(() -> open(f.b.core(), root, "sec_nosuchsecret", "x"))
          .isInstanceOfSatisfying(
              ValidationException.class,
              e -> {
                assertThat(e.field()).isEqualTo("secret_id");
                assertThat(e.rule()).isEqualTo("exists");
              });
      assertThatThrownBy(() -> open(f.b.core(), root, f.secret.id(), " "))
          .isInstanceOfSatisfying(
              ValidationException.class, e -> assertThat(e.field()).isEqualTo("reason"));
      assertThatThrownBy(
              () ->
                  f.b
                      .core()
                      .incidents()
                      .open(root, new NewIncident(null, "tok_nosuchtoken", "x"), Optional.empty()))
          .isInstanceOfSatisfying(
              ValidationException.class, e -> assertThat(e.field()).isEqualTo("token_id"));
      Caller reader = f.b.callerWith(Scope.AUDIT_READ);
      assertThatThrownBy(() -> open(f.b.core(), reader, f.secret.id(), "x"))
          .isInstanceOf(io.secretsapi.access.PermissionDeniedException.class);

      assertThat(f.b.core().incidents().list(root, Optional.empty(), 50)).isEmpty();
      assertThat(f.b.core().verifier().verify(t.token()).id()).isEqualTo(t.grant().id());
      assertThat(f.issue("15m").grant().status()).isEqualTo("active");

      // the canary: a reason holding the secret's value keeps it out of the incident and its record
      Incident in = open(f.b.core(), root, f.secret.id(), "sk-proj-CANARY-0123456789abcdef leaked");
      assertThat(in.reason()).doesNotContain("CANARY");
      assertThat(f.b.core().incidents().get(root, in.id()).toString()).doesNotContain("CANARY");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void close_openIncident_liftsTheBlockAndRefusesASecondClose(TestStore store) {
    try (var f = TokenFixture.start(store)) {
      f.issue("15m");
      Incident in =
          f.b
              .core()
              .incidents()
              .open(
                  f.b.root(),
                  new NewIncident(null, f.issue("15m").grant().id(), "token leaked in a log"),
                  Optional.empty());
      assertThat(in.tokenId()).isPresent();
      assertThatThrownBy(() -> open(f.b.core(), f.b.root(), f.secret.id(), "again"))
          .isInstanceOf(ConflictException.class);

      Incident closed =
          f.b
              .core()
              .incidents()
              .close(f.b.root(), in.id(), "rotated by the owner", Optional.empty());

      assertThat(closed.state()).isEqualTo("closed");
      assertThat(closed.closeNote()).contains("rotated by the owner");
      assertThat(closed.affected().get(0).state()).isEqualTo("restored");
      assertThat(f.issue("15m").grant().status()).isEqualTo("active");
      assertThatThrownBy(
              () -> f.b.core().incidents().close(f.b.root(), in.id(), "again", Optional.empty()))
          .isInstanceOfSatisfying(
              ValidationException.class,
              e -> {
                assertThat(e.field()).isEqualTo("id");
                assertThat(e.rule()).isEqualTo("open");
              });
      assertThat(f.b.core().incidents().list(f.b.root(), Optional.of("open"), 50)).isEmpty();
      assertThat(f.b.core().incidents().list(f.b.root(), Optional.of("closed"), 50))
          .extracting(Incident::id)
          .containsExactly(in.id());
    }
  }

  /**
   * The acceptance's other node: it refuses as soon as the containment commits, with no catch-up.
   */
  @Test
  void open_onOneNodeOfPostgres_theOtherRefusesGrantsAndIssuanceAtOnce() throws Exception {
    try (var f = TokenFixture.start(TestStore.POSTGRES);
        BrokerCore other = f.b.otherNode()) {
      assertThat(other.changes().awaitListening(Duration.ofSeconds(10))).isTrue();
      IssuedToken t = f.issue("15m");
      Caller otherAgent = other.access().authenticate(f.b.rootKey().plaintext());
      assertThat(other.verifier().verify(t.token()).id()).isEqualTo(t.grant().id());

      Incident in = open(f.b.core(), f.b.root(), f.secret.id(), "leaked");

      // a proxied call with the contained grant is refused by the store itself, whatever the feed
      assertThatThrownBy(() -> other.tokens().proxy().authorize(t.token(), CALL, Optional.empty()))
          .isInstanceOf(InvalidTokenException.class);
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (other.incidents().containing(f.secret.id()).isEmpty() && System.nanoTime() < end) {
        Thread.onSpinWait();
      }
      assertThat(other.incidents().containing(f.secret.id())).contains(in.id());
      assertThatThrownBy(() -> other.verifier().verify(t.token()))
          .isInstanceOf(InvalidTokenException.class);
      assertThatThrownBy(
              () ->
                  other
                      .tokens()
                      .issue(
                          otherAgent,
                          new IssueRequest(
                              f.secret.id(),
                              "model-access",
                              "15m",
                              "agent-runtime-04",
                              "production",
                              null),
                          Optional.empty()))
          .isInstanceOf(SecretContainedException.class);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void open_stepFailsAfterTheCommit_incidentAnsweredWithTheStepFailedAndTheRestRun(
      TestStore store) {
    try (var f = TokenFixture.start(store)) {
      f.issue("15m");
      f.b
          .core()
          .incidents()
          .useSessions(
              new Sessions() {
                @Override
                public long cutSoFar(String secretId) {
                  return 0;
                }

                @Override
                public void terminate(String secretId) {
                  throw new IllegalStateException("the proxy's stream table is gone");
                }
              });

      Incident in = open(f.b.core(), f.b.root(), f.secret.id(), "key seen in a public repo");

      assertThat(in.timeline()).extracting(Incident.Step::name).isEqualTo(Incident.STEPS);
      assertThat(in.timeline().get(2).state()).isEqualTo("failed");
      assertThat(in.timeline().get(2).detail())
          .isEqualTo("dependent sessions terminated failed: the proxy's stream table is gone");
      assertThat(in.timeline().get(3).state()).as("the steps after it ran").isEqualTo("done");
      assertThat(in.timeline().get(4).state()).isEqualTo("done");
      assertThat(f.b.core().incidents().get(f.b.root(), in.id()).timeline())
          .isEqualTo(in.timeline());
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void flush_stepRecordRefusedEarlier_writtenAtTheNextTick(TestStore store) {
    try (var f = TokenFixture.start(store)) {
      f.issue("15m");
      Incidents incidents = f.b.core().incidents();
      Incident in = open(f.b.core(), f.b.root(), f.secret.id(), "key seen in a public repo");
      IncidentStore.Row row = incidents.visible(f.b.root(), in.id());
      Incident.Step late =
          new Incident.Step(
              6, Incident.STEPS.get(5), "failed", "the store was slow", 0, 10, 1, Optional.empty());

      incidents.unrecorded("root", row, late, new IllegalStateException("store unavailable"));
      int written = f.b.core().incidents().flush();

      assertThat(written).isEqualTo(1);
      Incident.Step six = incidents.get(f.b.root(), in.id()).timeline().get(5);
      assertThat(six.detail()).isEqualTo("the store was slow");
      assertThat(six.auditRef()).isPresent();
      assertThat(incidents.flush()).as("written once").isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void open_staticSecretWithRotator_queuesIncidentRotationWithoutGrace(TestStore store) {
    try (var f = TokenFixture.start(store)) {
      f.b
          .core()
          .rotations()
          .configure(
              f.b.root(),
              f.secret.id(),
              new RotationSettings.Input(
                  "webhook",
                  "1h",
                  null,
                  null,
                  null,
                  "https://203.0.113.10/rotate",
                  "5s",
                  null,
                  null,
                  null));
      f.issue("15m");

      Incident in = open(f.b.core(), f.b.root(), f.secret.id(), "key seen in a public repo");

      List<RotationJob> queued =
          f.b.core().rotations().list(f.b.root(), Optional.of(f.secret.id()), Optional.empty(), 10);
      assertThat(queued)
          .singleElement()
          .satisfies(
              j -> {
                assertThat(j.trigger()).isEqualTo(Trigger.INCIDENT);
                assertThat(j.grace()).as("no grace for a leaked value").isEqualTo(Duration.ZERO);
                assertThat(j.idempotencyKey()).contains("incident:" + in.id());
              });
      Incident.Step six = in.timeline().get(5);
      assertThat(six.state()).isEqualTo("pending");
      assertThat(six.detail()).startsWith("rotation " + queued.get(0).id() + " queued (webhook)");
    }
  }
}
