package io.secretsapi.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedactorTest {
  private final Redactor redactor = new Redactor(new byte[32], v -> v.equals("stored-value-42"));

  @Test
  void scrub_everyKnownCredentialShapeInsideText_isHashed() {
    String tail = "Ab3_x-9ZqWertyUiop12";
    for (String credential :
        List.of(
            "sk_0123abcd_" + tail,
            "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2ln",
            "whsec_" + tail,
            "sk-ant-" + tail,
            "sk-proj-" + tail,
            "sk-" + tail,
            "sk_live_" + tail,
            "sk_test_" + tail,
            "rk_live_" + tail,
            "rk_test_" + tail,
            "ghp_" + tail,
            "gho_" + tail,
            "ghs_" + tail,
            "ghu_" + tail,
            "github_pat_" + tail,
            "glpat-" + tail,
            "xoxb-" + tail,
            "xoxp-" + tail,
            "AKIA" + tail,
            "ASIA" + tail,
            "AIza" + tail)) {
      String text = "agent said: " + credential + " (end)";
      assertThat(Redactor.looksLikeCredential(text)).as(credential).isTrue();
      assertThat(redactor.scrub(text)).as(credential).startsWith(Redactor.PREFIX);
    }
  }

  @Test
  void scrub_ordinaryIdsNamesAndReasons_areKeptAsTheyAre() {
    for (String plain :
        List.of(
            "tok_3Hq9x0aZ",
            "sec_7f3a",
            "bench-agent-4fz",
            "allowed by rule bench-agents of policy KEY-SCOPE-17",
            "a task with some risk",
            "production")) {
      assertThat(redactor.scrub(plain)).isEqualTo(plain);
    }
  }

  @Test
  void scrub_exactlyAStoredValue_isHashedAndTheSameEveryTime() {
    String once = redactor.scrub("stored-value-42");
    assertThat(once).startsWith(Redactor.PREFIX).isEqualTo(redactor.scrub("stored-value-42"));
    assertThat(redactor.scrub(once)).isEqualTo(once);
  }

  @Test
  void holdsSecret_valueStoredAfterATextWasFoundClean_isFoundInItThen() {
    java.util.Set<String> stored = new java.util.concurrent.CopyOnWriteArraySet<>();
    java.util.concurrent.atomic.AtomicLong generation =
        new java.util.concurrent.atomic.AtomicLong();
    Redactor r = new Redactor(new byte[32], stored::contains, generation::get);
    String reason = "rotated: the old key was mellon-friend-2231, see ticket";

    assertThat(r.holdsSecret(reason)).isFalse();
    assertThat(r.holdsSecret(reason)).as("remembered as clean").isFalse();
    stored.add("mellon-friend-2231");
    generation.incrementAndGet();

    assertThat(r.holdsSecret(reason)).isTrue();
    assertThat(r.scrub(reason)).startsWith(Redactor.PREFIX);
  }

  @Test
  void holdsSecret_valueAfterPunctuationOrUnicodeSpace_isFound() {
    for (String text :
        List.of(
            "a.stored-value-42",
            "was stored-value-42.",
            "x\u00a0stored-value-42",
            "x\u2003stored-value-42\u3000y",
            "see `stored-value-42`!",
            "k=stored%2Dvalue-42&x=1",
            "user@stored-value-42")) {
      assertThat(redactor.holdsSecret(text)).as(text).isTrue();
    }
    assertThat(redactor.holdsSecret("task-management-board")).isFalse();
  }
}
