package io.secretsapi.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.testing.TestStore;
import io.secretsapi.testing.TokenFixture;
import io.secretsapi.token.RevokeRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Design 0034: only a record of a secret's lifecycle asks what the secret serves; a token's record
 * never does; the named ids become part of the signed, hash-linked record, which verifies offline
 * on both the text and the byte path.
 */
class AuditServingTest {
  @ParameterizedTest
  @EnumSource(TestStore.class)
  void append_tokenRecordsAskNothingLifecycleRecordsNameWhatTheSecretServes(TestStore store) {
    try (TokenFixture f = TokenFixture.start(store)) {
      AtomicInteger asked = new AtomicInteger();
      f.b
          .core()
          .audit()
          .serving(
              (h, secretId) -> {
                asked.incrementAndGet();
                return Map.of("engines", List.of("eng_b"), "packages", List.of("pkg_a"));
              });
      var t = f.issue("5m");
      f.b
          .core()
          .tokens()
          .revoke(
              f.b.root(),
              new RevokeRequest(t.grant().id(), null, null, null, null, null),
              Optional.empty());
      assertThat(asked.get()).as("token records ask nothing").isZero();

      f.b
          .vault()
          .rotate(
              f.b.root(),
              f.secret.id(),
              Optional.of("next-value-0123456789abcdef"),
              Optional.of(Duration.ZERO));

      assertThat(asked.get()).isEqualTo(1);
      List<String> lines = AuditChainTest.export(f);
      assertThat(lines)
          .filteredOn(l -> l.contains("\"type\":\"secret.rotate\""))
          .singleElement()
          .asString()
          .contains("\"details\":{\"engines\":[\"eng_b\"],\"packages\":[\"pkg_a\"]}");
      assertThat(lines)
          .filteredOn(l -> l.contains("\"type\":\"token."))
          .allMatch(l -> !l.contains("\"details\""));
      AuditVerifier.Result r = AuditChainTest.verify(lines);
      assertThat(r.ok()).as(r.reason()).isTrue();
    }
  }
}
