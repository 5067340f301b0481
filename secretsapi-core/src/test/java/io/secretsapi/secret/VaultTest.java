package io.secretsapi.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsapi.ConflictException;
import io.secretsapi.ValidationException;
import io.secretsapi.access.Caller;
import io.secretsapi.access.Scope;
import io.secretsapi.crypto.DecryptionFailedException;
import io.secretsapi.testing.Broker;
import io.secretsapi.testing.TestStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class VaultTest {
  static final String CANARY = "cf_live_CANARY_4f9d2b7e1a6c3e8f_alpha";

  static NewSecret secret(String name, String value) {
    return new NewSecret(
        name, "openai", "model-access", "production", "AI Platform", List.of("llm"), value, null);
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void create_validSecret_returnsMaskedViewOnly(TestStore store) {
    try (Broker b = Broker.start(store)) {
      Secret s = b.vault().create(b.root(), secret("openai-prod-key", CANARY));
      assertThat(s.id()).startsWith("sec_");
      assertThat(s.masked()).isEqualTo("cf_l...lpha");
      assertThat(s.fingerprint()).matches("[0-9a-f]{4}(:[0-9a-f]{4}){3}");
      assertThat(s.toString()).doesNotContain(CANARY);
      assertThat(b.cleartext().current(s.id())).isEqualTo(CANARY);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void create_canaryValue_isNotStoredInPlaintext(TestStore store) {
    try (Broker b = Broker.start(store)) {
      b.vault().create(b.root(), secret("canary", CANARY));
      List<byte[]> blobs =
          b.db()
              .read(
                  h ->
                      h.createQuery("SELECT ciphertext FROM secret_versions")
                          .map((rs, c) -> rs.getBytes(1))
                          .list());
      assertThat(blobs).isNotEmpty();
      for (byte[] blob : blobs) {
        assertThat(new String(blob, StandardCharsets.ISO_8859_1))
            .doesNotContain(CANARY)
            .doesNotContain("CANARY");
      }
      String everyText =
          b.db()
              .read(
                  h ->
                      h.createQuery("SELECT name || provider || owner || tags FROM secrets")
                          .mapTo(String.class)
                          .one());
      assertThat(everyText).doesNotContain("CANARY");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void create_duplicateNameInSameEnvironment_conflictsAndChangesNothing(TestStore store) {
    try (Broker b = Broker.start(store)) {
      b.vault().create(b.root(), secret("dup", "value-one-1234567890"));
      assertThatThrownBy(() -> b.vault().create(b.root(), secret("dup", "value-two-1234567890")))
          .isInstanceOf(ConflictException.class)
          .hasMessageContaining("dup");
      assertThat(b.vault().list(b.root(), SecretFilter.defaults()).total()).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void create_invalidFields_namesTheField(TestStore store) {
    try (Broker b = Broker.start(store)) {
      assertThatThrownBy(() -> b.vault().create(b.root(), secret("", "v-1234567890")))
          .isInstanceOfSatisfying(
              ValidationException.class, e -> assertThat(e.field()).isEqualTo("name"));
      assertThatThrownBy(() -> b.vault().create(b.root(), secret("../etc", "v-1234567890")))
          .isInstanceOfSatisfying(
              ValidationException.class, e -> assertThat(e.field()).isEqualTo("name"));
      assertThatThrownBy(() -> b.vault().create(b.root(), secret("ok", "")))
          .isInstanceOfSatisfying(
              ValidationException.class, e -> assertThat(e.field()).isEqualTo("value"));
      var badTags =
          new NewSecret(
              "t", "openai", "model-access", "production", "", List.of("a", "a"), "v-123", null);
      assertThatThrownBy(() -> b.vault().create(b.root(), badTags))
          .isInstanceOfSatisfying(
              ValidationException.class, e -> assertThat(e.field()).isEqualTo("tags[1]"));
      assertThat(b.vault().list(b.root(), SecretFilter.defaults()).total()).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void rotate_withGrace_keepsPreviousReadableThenSealsIt(TestStore store) {
    try (Broker b = Broker.start(store)) {
      Secret s = b.vault().create(b.root(), secret("rot", "first-value-1234567890"));
      Rotation r =
          b.vault()
              .rotate(
                  b.root(),
                  s.id(),
                  Optional.of("second-value-1234567890"),
                  Optional.of(Duration.ofHours(1)));
      assertThat(r.version()).isEqualTo(2);
      assertThat(b.vault().versions(b.root(), s.id()))
          .extracting(SecretVersion::state)
          .containsExactly("current", "previous");
      assertThat(b.cleartext().version(s.id(), 1, b.clock().instant()))
          .isEqualTo("first-value-1234567890");
      b.clock().advance(Duration.ofHours(1).plusSeconds(1));
      assertThat(b.vault().versions(b.root(), s.id()))
          .extracting(SecretVersion::state)
          .containsExactly("current", "sealed");
      assertThat(b.vault().sealExpired()).isEqualTo(1);
      Long stored =
          b.db()
              .read(
                  h ->
                      h.createQuery(
                              "SELECT COUNT(*) FROM secret_versions WHERE ciphertext IS NOT NULL")
                          .mapTo(Long.class)
                          .one());
      assertThat(stored).isEqualTo(1);
      assertThat(b.cleartext().current(s.id())).isEqualTo("second-value-1234567890");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void rotate_generatedSecret_makesANewRandomValue(TestStore store) {
    try (Broker b = Broker.start(store)) {
      var in =
          new NewSecret(
              "gen", "internal", "signing", "production", "", List.of(), null, "generated");
      Secret s = b.vault().create(b.root(), in);
      String first = b.cleartext().current(s.id());
      b.vault().rotate(b.root(), s.id(), Optional.empty(), Optional.of(Duration.ZERO));
      String second = b.cleartext().current(s.id());
      assertThat(first).hasSize(43);
      assertThat(second).hasSize(43).isNotEqualTo(first);
      assertThat(b.vault().versions(b.root(), s.id()))
          .extracting(SecretVersion::state)
          .containsExactly("current", "sealed");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void delete_sealsEveryVersionForGood(TestStore store) {
    try (Broker b = Broker.start(store)) {
      Secret s = b.vault().create(b.root(), secret("gone", "gone-value-1234567890"));
      b.vault().rotate(b.root(), s.id(), Optional.of("gone-value-2-123456789"), Optional.empty());
      Secret deleted = b.vault().delete(b.root(), s.id());
      assertThat(deleted.status()).isEqualTo("sealed");
      assertThat(b.vault().versions(b.root(), s.id()))
          .extracting(SecretVersion::state)
          .containsOnly("sealed");
      assertThatThrownBy(() -> b.cleartext().current(s.id()))
          .isInstanceOf(SecretSealedException.class);
      Long blobs =
          b.db()
              .read(
                  h ->
                      h.createQuery(
                              "SELECT COUNT(*) FROM secret_versions WHERE ciphertext IS NOT NULL OR wrapped_key IS NOT NULL")
                          .mapTo(Long.class)
                          .one());
      assertThat(blobs).isZero();
      b.vault().create(b.root(), secret("gone", "a-new-value-1234567890"));
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void open_flippedByteOrSwappedRows_failsWithClearError(TestStore store) {
    try (Broker b = Broker.start(store)) {
      Secret one = b.vault().create(b.root(), secret("one", "value-of-one-1234567890"));
      Secret two = b.vault().create(b.root(), secret("two", "value-of-two-1234567890"));
      b.db()
          .inTransaction(
              h ->
                  h.execute(
                      "UPDATE secret_versions SET ciphertext = (SELECT ciphertext FROM secret_versions WHERE secret_id = ?),"
                          + " wrapped_key = (SELECT wrapped_key FROM secret_versions WHERE secret_id = ?) WHERE secret_id = ?",
                      two.id(),
                      two.id(),
                      one.id()));
      assertThatThrownBy(() -> b.cleartext().current(one.id()))
          .isInstanceOf(DecryptionFailedException.class)
          .hasMessageContaining(one.id())
          .hasMessageContaining("failed authentication");
      byte[] ct =
          b.db()
              .read(
                  h ->
                      h.createQuery("SELECT ciphertext FROM secret_versions WHERE secret_id = :id")
                          .bind("id", two.id())
                          .mapTo(byte[].class)
                          .one());
      ct[ct.length / 2] ^= 1;
      b.db()
          .inTransaction(
              h ->
                  h.execute(
                      "UPDATE secret_versions SET ciphertext = ? WHERE secret_id = ?",
                      ct,
                      two.id()));
      assertThatThrownBy(() -> b.cleartext().current(two.id()))
          .isInstanceOf(DecryptionFailedException.class);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void list_otherAccount_seesNothingAndGetIsNotFound(TestStore store) {
    try (Broker b = Broker.start(store)) {
      Secret s = b.vault().create(b.root(), secret("mine", "mine-value-1234567890"));
      Caller other = b.callerWith(Scope.SECRETS_READ, Scope.SECRETS_WRITE);
      assertThat(b.vault().list(other, SecretFilter.defaults()).total()).isZero();
      assertThatThrownBy(() -> b.vault().get(other, s.id()))
          .isInstanceOf(SecretNotFoundException.class);
      assertThatThrownBy(() -> b.vault().delete(other, s.id()))
          .isInstanceOf(SecretNotFoundException.class);
      assertThat(b.vault().get(b.root(), s.id()).status()).isEqualTo("active");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void list_filtersAndSortsByLastAccess_saysShowingNofM(TestStore store) {
    try (Broker b = Broker.start(store)) {
      for (int i = 0; i < 5; i++) {
        b.vault().create(b.root(), secret("key-" + i, "value-number-" + i + "-1234567890"));
      }
      b.vault()
          .create(
              b.root(),
              new NewSecret(
                  "stripe",
                  "stripe",
                  "charges",
                  "production",
                  "Payments",
                  List.of(),
                  "sk_live_1234567890abc",
                  null));
      Secret touched = b.vault().list(b.root(), SecretFilter.defaults()).items().get(3);
      b.clock().advance(Duration.ofSeconds(5));
      b.cleartext().current(touched.id());
      b.cleartext().flushAccess(); // access times are written by the periodic job, in a batch
      var page =
          b.vault()
              .list(
                  b.root(),
                  new SecretFilter(
                      Optional.of("model-access"),
                      Optional.empty(),
                      Optional.empty(),
                      Optional.empty(),
                      "active",
                      "last_access",
                      2,
                      0));
      assertThat(page.total()).isEqualTo(5);
      assertThat(page.summary()).isEqualTo("showing 2 of 5");
      assertThat(page.items().get(0).id()).isEqualTo(touched.id());
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void rotateKek_rewrapsEveryDataKeyAndValuesStillOpen(TestStore store) {
    try (Broker b = Broker.start(store)) {
      Secret s = b.vault().create(b.root(), secret("kek", "kek-value-1234567890"));
      long before = b.envelope().kek().primaryKeyId();
      KekRotationResult r = b.vault().rotateKek();
      assertThat(r.newKeyId()).isNotEqualTo(before);
      assertThat(r.retiredKeyIds()).containsExactly(before);
      assertThat(r.rewrapped())
          .isEqualTo(
              5); // the secret version, the fingerprint and audit-hash keys, two signing keys
      assertThat(b.envelope().kek().keyIds()).containsExactly(r.newKeyId());
      assertThat(b.cleartext().current(s.id())).isEqualTo("kek-value-1234567890");
      assertThat(b.reopenVault().get(b.root(), s.id()).fingerprint()).isEqualTo(s.fingerprint());
    }
  }
}
