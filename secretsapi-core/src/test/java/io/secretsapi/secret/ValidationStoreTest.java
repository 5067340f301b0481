package io.secretsapi.secret;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.testing.Broker;
import io.secretsapi.testing.TestStore;
import io.secretsapi.testing.TokenFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The schedule of validations, shared by every node of a store. */
class ValidationStoreTest {

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void claim_sameDueValidationReadByTwoNodes_onlyOneGetsIt(TestStore store) {
    try (TokenFixture f = TokenFixture.start(store)) {
      Broker b = f.b;
      Secret s = f.secret;
      Instant now = Instant.parse("2026-11-24T12:00:00Z");
      Validation scheduled =
          new Validation(
              s.id(),
              Validation.HEALTHY,
              "the provider accepted the key (HTTP 200)",
              Optional.of(200),
              "openai",
              Optional.empty(),
              now.minus(Duration.ofMinutes(5)),
              Duration.ofMinutes(5),
              Optional.of(now.minusMillis(1)),
              Optional.of("root"));
      b.db()
          .inTransaction(
              h -> {
                ValidationStore.save(h, scheduled);
                return null;
              });
      Validation readByA = ValidationStore.due(b.db(), now, 20).get(0);
      Validation readByB = ValidationStore.due(b.db(), now, 20).get(0);

      Instant until = now.plus(Duration.ofMinutes(2));
      var leadership = b.leading().leadership();
      assertThat(ValidationStore.claim(b.db(), leadership, readByA, until)).isTrue();
      assertThat(ValidationStore.claim(b.db(), leadership, readByB, until)).isFalse();

      assertThat(ValidationStore.due(b.db(), now, 20)).isEmpty();
      assertThat(ValidationStore.due(b.db(), until, 20))
          .as("due again if the node that claimed it never saves a result")
          .extracting(Validation::secretId)
          .containsExactly(s.id());
    }
  }
}
