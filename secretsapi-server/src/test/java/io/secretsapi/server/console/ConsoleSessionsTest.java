package io.secretsapi.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.access.Caller;
import io.secretsapi.access.Scope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Session expiry on the broker's clock, moved by hand. */
class ConsoleSessionsTest {
  static final Caller OPERATOR =
      new Caller("sa_1", "operator", "sk_key1", Set.of(Scope.SECRETS_READ));

  /** A clock that moves only when told. */
  static final class HandClock extends Clock {
    private Instant now = Instant.parse("2026-12-07T14:32:11Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void find_usedWithinIdle_staysUntilMax() {
    HandClock clock = new HandClock();
    Sessions sessions =
        new Sessions(clock, Duration.ofMinutes(15), Duration.ofHours(8), key -> true);
    String id = sessions.open(OPERATOR);
    for (int i = 0; i < 34; i++) { // 7h56m in steps under the idle limit
      clock.advance(Duration.ofMinutes(14));
      assertThat(sessions.find(id)).as("after %s minutes", 14 * (i + 1)).isPresent();
    }
    clock.advance(Duration.ofMinutes(14));
    assertThat(sessions.find(id)).as("past 8h").isEmpty();
  }

  @Test
  void find_idleTooLong_isEmptyForGood() {
    HandClock clock = new HandClock();
    Sessions sessions =
        new Sessions(clock, Duration.ofMinutes(15), Duration.ofHours(8), key -> true);
    String id = sessions.open(OPERATOR);
    clock.advance(Duration.ofMinutes(15));
    assertThat(sessions.find(id)).isEmpty();
    assertThat(sessions.find(id)).isEmpty();
  }

  @Test
  void find_unknownMalformedOrClosed_isEmpty() {
    Sessions sessions =
        new Sessions(new HandClock(), Duration.ofMinutes(15), Duration.ofHours(8), key -> true);
    String id = sessions.open(OPERATOR);
    assertThat(id).matches("[A-Za-z0-9_-]{43}");
    assertThat(sessions.find(id.substring(1))).isEmpty();
    assertThat(sessions.find("x".repeat(100))).isEmpty();
    assertThat(sessions.find("")).isEmpty();
    sessions.close(id);
    assertThat(sessions.find(id)).isEmpty();
  }

  @Test
  void find_keyNoLongerActiveAnywhere_endsItsSessionsOnly() {
    java.util.Set<String> inactive = new java.util.concurrent.CopyOnWriteArraySet<>();
    Sessions sessions =
        new Sessions(
            new HandClock(),
            Duration.ofMinutes(15),
            Duration.ofHours(8),
            key -> !inactive.contains(key));
    String mine = sessions.open(OPERATOR);
    String other =
        sessions.open(new Caller("sa_2", "other", "sk_key2", Set.of(Scope.SECRETS_READ)));

    inactive.add("sk_key1"); // revoked on another node, rotated without grace, or expired

    assertThat(sessions.alive(mine)).isFalse();
    assertThat(sessions.find(mine)).isEmpty();
    assertThat(sessions.find(other)).isPresent();
  }

  @Test
  void endForKey_revokedKey_endsItsSessionsOnly() {
    Sessions sessions =
        new Sessions(new HandClock(), Duration.ofMinutes(15), Duration.ofHours(8), key -> true);
    String mine = sessions.open(OPERATOR);
    String other =
        sessions.open(new Caller("sa_2", "other", "sk_key2", Set.of(Scope.SECRETS_READ)));
    sessions.endForKey("sk_key1");
    assertThat(sessions.find(mine)).isEmpty();
    assertThat(sessions.find(other)).isPresent();
  }

  @Test
  void csrfMatches_constantTimeCompare_acceptsOnlyTheToken() {
    Sessions sessions =
        new Sessions(new HandClock(), Duration.ofMinutes(15), Duration.ofHours(8), key -> true);
    Session s = sessions.find(sessions.open(OPERATOR)).orElseThrow();
    assertThat(s.csrfMatches(s.csrf())).isTrue();
    assertThat(s.csrfMatches(s.csrf() + "x")).isFalse();
    assertThat(s.csrfMatches("")).isFalse();
    assertThat(s.csrfMatches(null)).isFalse();
    assertThat(s.toString()).doesNotContain(s.csrf());
  }
}
