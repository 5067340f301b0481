package io.secretsapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
  @ParameterizedTest
  @ValueSource(
      strings = {" 5m", "5m ", "5m\u0000", "5m\n", "\t5m", "+5m", "-5m", "5 m", "５m", "5M"})
  void parse_anythingButDigitsAndUnit_refusedNamingTheField(String text) {
    assertThatThrownBy(() -> Durations.parse("ttl", text))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> {
              assertThat(e.field()).isEqualTo("ttl");
              assertThat(e.rule()).isEqualTo("duration");
            });
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\n"})
  void parse_blank_refusedAsRequired(String text) {
    assertThatThrownBy(() -> Durations.parse("grace", text))
        .isInstanceOfSatisfying(
            ValidationException.class, e -> assertThat(e.rule()).isEqualTo("required"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"250ms", "90s", "15m", "1h", "7d"})
  void parse_digitsAndUnit_parses(String text) {
    assertThat(Durations.parse("ttl", text)).isPositive();
    assertThat(Durations.parse("ttl", "15m")).isEqualTo(Duration.ofMinutes(15));
  }
}
