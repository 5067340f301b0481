package io.secretsapi.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Times and hashes as the source documents show them. */
class ConsoleTimesTest {
  static final Instant NOW = Instant.parse("2026-12-07T14:32:11Z");

  @Test
  void ago_eachUnit_writtenAsTheDocumentsDo() {
    assertThat(Times.ago(Optional.of(NOW.minusSeconds(12)), NOW)).isEqualTo("12s ago");
    assertThat(Times.ago(Optional.of(NOW.minusSeconds(150)), NOW)).isEqualTo("2m ago");
    assertThat(Times.ago(Optional.of(NOW.minusSeconds(3 * 3600)), NOW)).isEqualTo("3h ago");
    assertThat(Times.ago(Optional.of(NOW.minusSeconds(4 * 86_400)), NOW)).isEqualTo("4d ago");
    assertThat(Times.ago(Optional.of(NOW.plusSeconds(5)), NOW)).isEqualTo("0s ago");
    assertThat(Times.ago(Optional.empty(), NOW)).isEqualTo("never");
  }

  @Test
  void utc_todayOrEarlier_clockOrDated() {
    assertThat(Times.utc(NOW, NOW)).isEqualTo("14:32:11 UTC");
    assertThat(Times.utc(NOW.minusSeconds(86_400), NOW)).isEqualTo("2026-12-06 14:32:11 UTC");
  }

  @Test
  void shortHash_rootHash_firstAndLastFourUpperCase() {
    assertThat(HeaderBand.shortHash("3f2a0000000000d981")).isEqualTo("3F2A · D981");
    assertThat(HeaderBand.shortHash("abc")).isEqualTo("ABC");
  }
}
