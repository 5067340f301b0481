package io.secretsapi.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsapi.BrokerCore;
import io.secretsapi.ValidationException;
import io.secretsapi.access.AuthenticationException;
import io.secretsapi.access.IssuedApiKey;
import io.secretsapi.access.Scope;
import io.secretsapi.policy.PolicyDeniedException;
import io.secretsapi.secret.NewSecret;
import io.secretsapi.secret.SecretSealedException;
import io.secretsapi.storage.ChangeFeed.Topic;
import io.secretsapi.testing.TestStore;
import io.secretsapi.testing.TokenFixture;
import io.secretsapi.token.IssueRequest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two broker nodes on one PostgreSQL: what one changes, the other follows as the change commits,
 * not when its cache of that object expires. Each test first makes the other node hold the object
 * in memory, then waits for the change to arrive there (a handler registered after the node's own
 * runs after them) and checks the node acts on it. Caches expire after 1 to 5 s; the waits end in
 * milliseconds.
 */
class ChangesAcrossNodesTest {

  /** Counts down once the other node has applied a change of {@code topic} to {@code key}. */
  private static CountDownLatch applied(BrokerCore node, Topic topic, String key) {
    CountDownLatch done = new CountDownLatch(1);
    node.changes()
        .on(
            topic,
            k -> {
              if (k.equals(Optional.of(key))) {
                done.countDown();
              }
            });
    return done;
  }

  private static BrokerCore listeningOtherNode(TokenFixture f) throws InterruptedException {
    BrokerCore other = f.b.otherNode();
    assertThat(other.changes().awaitListening(Duration.ofSeconds(10))).isTrue();
    return other;
  }

  private static IssueRequest issueRequest(TokenFixture f) {
    return new IssueRequest(
        f.secret.id(), "model-access", "5m", "agent-runtime-04", "production", null);
  }

  @Test
  void revokeKey_onOneNode_theOtherRefusesTheKeyItHeld() throws Exception {
    try (var f = TokenFixture.start(TestStore.POSTGRES);
        BrokerCore other = listeningOtherNode(f)) {
      IssuedApiKey key = f.b.keyWith(Scope.SECRETS_READ);
      other.access().authenticate(key.plaintext()); // now held for two seconds
      CountDownLatch arrived = applied(other, Topic.API_KEYS, key.key().id());

      f.b.core().access().revokeKey(f.b.root(), key.key().id());

      assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
      assertThatThrownBy(() -> other.access().authenticate(key.plaintext()))
          .isInstanceOf(AuthenticationException.class);
    }
  }

  @Test
  void putPolicy_denyOnOneNode_theOtherRefusesTheNextIssue() throws Exception {
    try (var f = TokenFixture.start(TestStore.POSTGRES);
        BrokerCore other = listeningOtherNode(f)) {
      other.tokens().issue(f.agent, issueRequest(f), Optional.empty());
      CountDownLatch arrived = applied(other, Topic.POLICIES, "FREEZE");

      f.b
          .core()
          .policies()
          .put(
              f.b.root(),
              "FREEZE",
              """
              id: FREEZE
              description: incident freeze
              rules:
                - id: no-agents
                  effect: deny
                  principals: ["agent-runtime-*"]
                  resources:
                    resource_classes: [model-access]
                  operations: [issue]
              """);

      assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
      assertThatThrownBy(() -> other.tokens().issue(f.agent, issueRequest(f), Optional.empty()))
          .isInstanceOf(PolicyDeniedException.class);
    }
  }

  @Test
  void deleteScope_onOneNode_theOtherIssuesNoMoreForIt() throws Exception {
    try (var f = TokenFixture.start(TestStore.POSTGRES);
        BrokerCore other = listeningOtherNode(f)) {
      other.tokens().issue(f.agent, issueRequest(f), Optional.empty()); // scope held for 5 s
      CountDownLatch arrived = applied(other, Topic.SCOPES, f.secret.id() + "\n" + "model-access");

      f.b.core().scopes().delete(f.b.root(), f.secret.id(), "model-access");

      assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
      assertThatThrownBy(() -> other.tokens().issue(f.agent, issueRequest(f), Optional.empty()))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("no scope named model-access");
    }
  }

  @Test
  void deleteSecret_onOneNode_theOtherIssuesNoMoreForIt() throws Exception {
    try (var f = TokenFixture.start(TestStore.POSTGRES);
        BrokerCore other = listeningOtherNode(f)) {
      other.tokens().issue(f.agent, issueRequest(f), Optional.empty()); // secret held for 1 s
      CountDownLatch arrived = applied(other, Topic.SECRETS, f.secret.id());

      f.b.vault().delete(f.b.root(), f.secret.id());

      assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
      assertThatThrownBy(() -> other.tokens().issue(f.agent, issueRequest(f), Optional.empty()))
          .isInstanceOf(SecretSealedException.class);
    }
  }

  @Test
  void createSecret_onOneNode_theOtherRecognisesItsValueAtOnce() throws Exception {
    String canary = "sk-live-CANARY-other-node-0123456789";
    try (var f = TokenFixture.start(TestStore.POSTGRES);
        BrokerCore other = listeningOtherNode(f)) {
      assertThat(other.vault().isStoredValue(canary)).isFalse();
      CountDownLatch arrived = new CountDownLatch(1);
      other.changes().on(Topic.SECRETS, k -> k.ifPresent(id -> arrived.countDown()));

      f.b
          .vault()
          .create(
              f.b.root(),
              new NewSecret(
                  "stripe-live",
                  "stripe",
                  "payments",
                  "production",
                  "Payments",
                  List.of(),
                  canary,
                  null));

      assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(other.vault().isStoredValue(canary)).isTrue();
    }
  }

  @Test
  void rotateSigningKey_onOneNode_theOtherVerifiesAndSignsWithTheNewKey() throws Exception {
    try (var f = TokenFixture.start(TestStore.POSTGRES);
        BrokerCore other = listeningOtherNode(f)) {
      CountDownLatch arrived = applied(other, Topic.SIGNING_KEYS, "token");

      String kid = f.b.core().tokenKeys().rotate();

      assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
      var signedHere = f.issue("5m");
      assertThat(other.verifier().verify(signedHere.token()).id())
          .as("a token signed with the new key verifies on the other node")
          .isEqualTo(signedHere.grant().id());
      assertThat(other.tokenKeys().active().kid()).isEqualTo(kid);
    }
  }

  @Test
  void feed_sessionEndedByTheServer_reconnectsDropsEverythingAndHearsAgain() throws Exception {
    try (var f = TokenFixture.start(TestStore.POSTGRES);
        BrokerCore other = listeningOtherNode(f)) {
      CountDownLatch everything = new CountDownLatch(1);
      other.changes().on(Topic.API_KEYS, k -> k.ifPresentOrElse(id -> {}, everything::countDown));

      assertThat(f.b.core().changes().awaitListening(Duration.ofSeconds(10))).isTrue();
      // as a failover, a restart of PostgreSQL or an operator's pg_terminate_backend would
      List<Boolean> ended =
          f.b
              .db()
              .read(
                  h ->
                      h.createQuery(
                              "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                                  + " WHERE application_name = :app AND datname = current_database()")
                          .bind("app", ChangeFeed.APPLICATION_NAME)
                          .mapTo(Boolean.class)
                          .list());
      assertThat(ended).as("both nodes' sessions").hasSize(2).containsOnly(true);

      assertThat(everything.await(15, TimeUnit.SECONDS))
          .as("on reconnecting, the node drops every cached key")
          .isTrue();
      IssuedApiKey key = f.b.keyWith(Scope.SECRETS_READ);
      other.access().authenticate(key.plaintext());
      CountDownLatch arrived = applied(other, Topic.API_KEYS, key.key().id());
      f.b.core().access().revokeKey(f.b.root(), key.key().id());
      assertThat(arrived.await(10, TimeUnit.SECONDS)).as("and it hears again").isTrue();
      assertThatThrownBy(() -> other.access().authenticate(key.plaintext()))
          .isInstanceOf(AuthenticationException.class);
    }
  }
}
