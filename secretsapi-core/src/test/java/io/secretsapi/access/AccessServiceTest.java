package io.secretsapi.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsapi.BrokerCore;
import io.secretsapi.storage.ChangeFeed;
import io.secretsapi.testing.Broker;
import io.secretsapi.testing.TestStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AccessServiceTest {
  @ParameterizedTest
  @EnumSource(TestStore.class)
  void bootstrap_secondTime_createsNothing(TestStore store) {
    try (Broker b = Broker.start(store)) {
      assertThat(b.access().bootstrap()).isEmpty();
      assertThat(b.access().listServiceAccounts(b.root())).hasSize(1);
      assertThat(b.rootKey().plaintext()).matches("sk_[a-z2-7]{16}_[A-Za-z0-9_-]{43}");
      assertThat(b.rootKey().toString()).doesNotContain(b.rootKey().plaintext());
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void authenticate_unknownMalformedRevokedOrExpired_allGetTheSameAnswer(TestStore store) {
    try (Broker b = Broker.start(store)) {
      IssuedApiKey revoked = b.keyWith(Scope.SECRETS_READ);
      b.access().revokeKey(b.root(), revoked.key().id());
      IssuedApiKey expiring =
          b.access()
              .createKey(
                  b.root(),
                  b.root().serviceAccountId(),
                  "short",
                  List.of("secrets:read"),
                  Optional.of(Duration.ofMinutes(5)));
      b.clock().advance(Duration.ofMinutes(5));
      String wrongSecret = b.rootKey().plaintext().substring(0, 20) + "A".repeat(43);
      for (String presented :
          List.of(
              "",
              "sk_",
              "Bearer x",
              "sk_aaaaaaaaaaaaaaaa_" + "A".repeat(43),
              wrongSecret,
              revoked.plaintext(),
              expiring.plaintext())) {
        assertThatThrownBy(() -> b.access().authenticate(presented))
            .isInstanceOf(AuthenticationException.class)
            .hasMessage("a valid api key is required: send Authorization: Bearer sk_...");
      }
      assertThat(b.access().getKey(b.root(), expiring.key().id()).status()).isEqualTo("revoked");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void isKeyActive_revokedOrExpiredKey_isNot(TestStore store) {
    try (Broker b = Broker.start(store)) {
      IssuedApiKey live = b.keyWith(Scope.SECRETS_READ);
      IssuedApiKey revoked = b.keyWith(Scope.SECRETS_READ);
      assertThat(b.access().isKeyActive(revoked.key().id())).isTrue(); // cached as active
      b.access().revokeKey(b.root(), revoked.key().id());
      IssuedApiKey expiring =
          b.access()
              .createKey(
                  b.root(),
                  b.root().serviceAccountId(),
                  "short",
                  List.of("secrets:read"),
                  Optional.of(Duration.ofMinutes(5)));
      b.clock().advance(Duration.ofMinutes(5));

      assertThat(b.access().isKeyActive(live.key().id())).isTrue();
      assertThat(b.access().isKeyActive(revoked.key().id())).isFalse();
      assertThat(b.access().isKeyActive(expiring.key().id())).isFalse();
      assertThat(b.access().isKeyActive("sk_aaaaaaaaaaaaaaaa")).isFalse();
    }
  }

  @Test
  void isKeyActive_keyRevokedOnAnotherNode_isNotThereOnceAnnounced() throws Exception {
    try (Broker b = Broker.start(TestStore.POSTGRES);
        BrokerCore other = b.otherNode()) {
      assertThat(other.changes().awaitListening(Duration.ofSeconds(10))).isTrue();
      IssuedApiKey key = b.keyWith(Scope.SECRETS_READ);
      assertThat(other.access().isKeyActive(key.key().id())).isTrue(); // now cached there

      b.access().revokeKey(b.root(), key.key().id());

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (other.access().isKeyActive(key.key().id()) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(other.access().isKeyActive(key.key().id())).isFalse();
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void rotateKey_withGrace_oldKeyWorksUntilGraceEnds(TestStore store) {
    try (Broker b = Broker.start(store)) {
      IssuedApiKey old = b.keyWith(Scope.SECRETS_READ, Scope.TOKENS_ISSUE);
      Caller owner = b.access().authenticate(old.plaintext());
      IssuedApiKey next =
          b.access().rotateKey(owner, old.key().id(), Optional.of(Duration.ofMinutes(10)));
      assertThat(next.key().scopes())
          .containsExactlyInAnyOrder(Scope.SECRETS_READ, Scope.TOKENS_ISSUE);
      assertThat(next.key().replaces()).contains(old.key().id());
      assertThat(b.access().authenticate(old.plaintext()).apiKeyId()).isEqualTo(old.key().id());
      assertThat(b.access().authenticate(next.plaintext()).apiKeyId()).isEqualTo(next.key().id());
      b.clock().advance(Duration.ofMinutes(10));
      assertThatThrownBy(() -> b.access().authenticate(old.plaintext()))
          .isInstanceOf(AuthenticationException.class);
      assertThat(b.access().getKey(b.root(), old.key().id()).replacedBy())
          .contains(next.key().id());
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void rotateKey_withoutGrace_revokesOldKeyAtOnce(TestStore store) {
    try (Broker b = Broker.start(store)) {
      IssuedApiKey old = b.keyWith(Scope.SECRETS_READ);
      b.access().rotateKey(b.root(), old.key().id(), Optional.empty());
      assertThatThrownBy(() -> b.access().authenticate(old.plaintext()))
          .isInstanceOf(AuthenticationException.class);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void createKey_scopeTheCallerLacks_isRefused(TestStore store) {
    try (Broker b = Broker.start(store)) {
      Caller reader = b.callerWith(Scope.SECRETS_READ);
      assertThatThrownBy(
              () ->
                  b.access()
                      .createKey(
                          reader,
                          reader.serviceAccountId(),
                          "wider",
                          List.of("secrets:write"),
                          Optional.empty()))
          .isInstanceOf(PermissionDeniedException.class)
          .hasMessageContaining("secrets:write");
      Caller keyAdmin = b.callerWith(Scope.KEYS_ADMIN, Scope.SECRETS_READ);
      assertThatThrownBy(
              () ->
                  b.access()
                      .createKey(
                          keyAdmin,
                          b.root().serviceAccountId(),
                          "escalate",
                          List.of("admin"),
                          Optional.empty()))
          .isInstanceOf(PermissionDeniedException.class);
      IssuedApiKey ok =
          b.access()
              .createKey(
                  keyAdmin,
                  b.root().serviceAccountId(),
                  "narrow",
                  List.of("secrets:read"),
                  Optional.empty());
      assertThat(ok.key().serviceAccountId()).isEqualTo(b.root().serviceAccountId());
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void listKeys_otherAccountWithoutKeysAdmin_seesOnlyItsOwn(TestStore store) {
    try (Broker b = Broker.start(store)) {
      Caller other = b.callerWith(Scope.SECRETS_READ);
      assertThat(b.access().listKeys(other, Optional.empty()))
          .allMatch(k -> k.serviceAccountId().equals(other.serviceAccountId()));
      assertThatThrownBy(() -> b.access().listKeys(other, Optional.of(b.root().serviceAccountId())))
          .isInstanceOf(ServiceAccountNotFoundException.class);
      assertThatThrownBy(() -> b.access().revokeKey(other, b.root().apiKeyId()))
          .isInstanceOf(ApiKeyNotFoundException.class);
      assertThat(b.access().authenticate(b.rootKey().plaintext())).isNotNull();
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void flushUsage_afterAuthentications_recordsCountAndLastUse(TestStore store) {
    try (Broker b = Broker.start(store)) {
      IssuedApiKey k = b.keyWith(Scope.SECRETS_READ);
      for (int i = 0; i < 5; i++) {
        b.access().authenticate(k.plaintext());
      }
      b.access().flushUsage();
      b.access().flushUsage();
      ApiKey after = b.access().getKey(b.root(), k.key().id());
      assertThat(after.useCount()).isEqualTo(5);
      assertThat(after.lastUsedAt()).contains(b.clock().instant());
    }
  }

  /**
   * Issue 17, defect 12: an unknown key id cost a store read on every attempt and a known one did
   * not, so the answer's time told whether an id exists. Both are now read once and then served
   * from memory.
   */
  @ParameterizedTest
  @EnumSource(TestStore.class)
  void authenticate_repeatedUnknownId_readsTheStoreOnceLikeAKnownId(TestStore store) {
    try (Broker b = Broker.start(store)) {
      IssuedApiKey known = b.keyWith(Scope.SECRETS_READ);
      String unknown = "sk_aaaaaaaaaaaaaaaa_" + "A".repeat(43);
      AtomicInteger reads = countAuthReads(b);

      for (int i = 0; i < 5; i++) {
        b.access().authenticate(known.plaintext());
      }
      int knownReads = reads.getAndSet(0);
      for (int i = 0; i < 5; i++) {
        assertThatThrownBy(() -> b.access().authenticate(unknown))
            .isInstanceOf(AuthenticationException.class);
      }
      int unknownReads = reads.get();

      assertThat(knownReads).isEqualTo(1);
      assertThat(unknownReads).isEqualTo(knownReads);
    }
  }

  /**
   * A key whose id was looked up, and found unknown, while it was being created (so the lookup was
   * cached) authenticates as soon as its creation has committed.
   */
  @ParameterizedTest
  @EnumSource(TestStore.class)
  void createKey_idLookedUpAsUnknownDuringCreation_authenticatesAtOnce(TestStore store) {
    try (Broker b = Broker.start(store)) {
      AtomicReference<String> lookedUp = new AtomicReference<>();
      b.db()
          .writerJdbi()
          .setSqlLogger(
              new SqlLogger() {
                @Override
                public void logAfterExecution(StatementContext ctx) {
                  if (ctx.getRawSql().startsWith("INSERT INTO api_keys")
                      && lookedUp.get() == null) {
                    lookedUp.set(lookUpFromAnotherThread(b.access(), ctx));
                  }
                }
              });

      IssuedApiKey created =
          b.access()
              .createKey(
                  b.root(),
                  b.root().serviceAccountId(),
                  "racing",
                  List.of("secrets:read"),
                  Optional.empty());

      assertThat(lookedUp.get()).isEqualTo(created.key().id());
      assertThat(b.access().authenticate(created.plaintext()).apiKeyId())
          .isEqualTo(created.key().id());
    }
  }

  /**
   * The same on another node of one PostgreSQL: it cached the id as unknown, and the creation's
   * announcement on the change feed drops that, so the key authenticates there too.
   */
  @Test
  void createKey_idCachedAsUnknownOnAnotherNode_authenticatesThereOnceAnnounced() throws Exception {
    try (Broker b = Broker.start(TestStore.POSTGRES);
        BrokerCore other = b.otherNode()) {
      assertThat(other.changes().awaitListening(Duration.ofSeconds(10))).isTrue();
      AtomicReference<String> lookedUp = new AtomicReference<>();
      b.db()
          .jdbi()
          .setSqlLogger(
              new SqlLogger() {
                @Override
                public void logAfterExecution(StatementContext ctx) {
                  if (ctx.getRawSql().startsWith("INSERT INTO api_keys")
                      && lookedUp.get() == null) {
                    lookedUp.set(lookUpFromAnotherThread(other.access(), ctx));
                  }
                }
              });
      CountDownLatch heard = new CountDownLatch(1);
      other
          .changes()
          .on(
              ChangeFeed.Topic.API_KEYS,
              id -> {
                if (id.isPresent() && id.get().equals(lookedUp.get())) {
                  heard.countDown();
                }
              });

      IssuedApiKey created =
          b.access()
              .createKey(
                  b.root(),
                  b.root().serviceAccountId(),
                  "racing",
                  List.of("secrets:read"),
                  Optional.empty());

      assertThat(lookedUp.get()).isEqualTo(created.key().id());
      assertThat(heard.await(10, TimeUnit.SECONDS))
          .as("the creation reached the other node")
          .isTrue();
      assertThat(other.access().authenticate(created.plaintext()).apiKeyId())
          .isEqualTo(created.key().id());
    }
  }

  /** The id of the key being inserted, presented from another thread before the insert commits. */
  private static String lookUpFromAnotherThread(AccessService node, StatementContext ctx) {
    try (var q =
        ctx.getConnection().prepareStatement("SELECT id FROM api_keys WHERE name = 'racing'")) {
      var rs = q.executeQuery();
      rs.next();
      String id = rs.getString(1);
      Thread t =
          new Thread(
              () -> {
                try {
                  node.authenticate(id + "_" + "A".repeat(43));
                } catch (AuthenticationException expected) {
                  // unknown, and now cached as unknown
                }
              });
      t.start();
      t.join(10_000);
      return id;
    } catch (java.sql.SQLException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Counts the reads of a key for authentication on {@code b}'s store. */
  private static AtomicInteger countAuthReads(Broker b) {
    AtomicInteger reads = new AtomicInteger();
    b.db()
        .jdbi()
        .setSqlLogger(
            new SqlLogger() {
              @Override
              public void logBeforeExecution(StatementContext ctx) {
                if (ctx.getRawSql().contains("FROM api_keys k JOIN service_accounts")) {
                  reads.incrementAndGet();
                }
              }
            });
    return reads;
  }
}
