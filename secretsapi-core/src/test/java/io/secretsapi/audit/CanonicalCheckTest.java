package io.secretsapi.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.erdtman.jcs.JsonCanonicalizer;
import org.junit.jupiter.api.Test;

class CanonicalCheckTest {
  static CanonicalCheck check(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return CanonicalCheck.of(b, 0, b.length);
  }

  @Test
  void of_aRecordAsTheLogWritesIt_passesAndFindsOffsetAndPrev() {
    AuditEntry e =
        AuditEntry.of("token.issue", "agent \"04\"\n\u0001", "allow")
            .policy(new AuditEntry.PolicyRef("KEY-SCOPE-17", 3, "r"))
            .status(200)
            .hashed("credential", "hmac-sha256:00")
            .build();
    String line = AuditLog.canonical(AuditLog.record(42, 1_795_000_000_000L, e, "ab".repeat(32)));
    CanonicalCheck c = check(line);
    assertThat(c).as(line).isNotNull();
    assertThat(c.offset).isEqualTo(42);
    assertThat(c.prevString()).isEqualTo("ab".repeat(32));
  }

  @Test
  void of_anythingNotCanonical_isNeverPassed() throws Exception {
    for (String s :
        List.of(
            "{\"b\":1,\"a\":2}",
            "{\"a\":1,\"a\":1}",
            "{ \"a\":1}",
            "{\"a\":01}",
            "{\"a\":-0}",
            "{\"a\":1.0}",
            "{\"a\":1e3}",
            "{\"a\":\"\\/\"}",
            "{\"a\":\"\\u0041\"}",
            "{\"a\":\"\\u000A\"}",
            "{\"a\":\"\\u001F\"}",
            "{\"a\":[1 ,2]}",
            "{\"a\":9007199254740993}",
            "{\"a\":1}x",
            "{\"a\":tru}")) {
      assertThat(check(s)).as(s).isNull();
      boolean canonical;
      try {
        canonical = new JsonCanonicalizer(s).getEncodedString().equals(s);
      } catch (Exception ex) {
        canonical = false;
      }
      assertThat(canonical).as("the reference agrees that " + s + " is not canonical").isFalse();
    }
    for (String s : List.of("{}", "{\"a\":[],\"b\":{},\"c\":null,\"d\":\"\\u001f\\n\"}")) {
      assertThat(check(s)).as(s).isNotNull();
      assertThat(new JsonCanonicalizer(s).getEncodedString()).isEqualTo(s);
    }
    assertThat(Map.of()).isEmpty();
  }

  @Test
  void membersRecord_anyEntry_isTheReferenceCanonicalRecordByteForByte() throws Exception {
    java.util.Random random = new java.util.Random(7);
    String[] odd = {
      "",
      "plain",
      "quote \" and \\",
      "tab\tnew\nline\r",
      "\u0001\u001f\u007f",
      "é ü 日本 😀",
      "\ud800 lone",
      "</script>",
      "a,\"offset\":1"
    };
    for (int n = 0; n < 2_000; n++) {
      AuditEntry.Builder b =
          AuditEntry.of(pick(random, odd) + "t", pick(random, odd), pick(random, odd));
      if (random.nextBoolean()) {
        b.subject(pick(random, odd));
      }
      if (random.nextBoolean()) {
        b.secret(pick(random, odd)).token(pick(random, odd)).scope(pick(random, odd));
      }
      if (random.nextBoolean()) {
        b.policy(
            new AuditEntry.PolicyRef(pick(random, odd), random.nextInt(1000), pick(random, odd)));
      }
      if (random.nextBoolean()) {
        b.environment(pick(random, odd)).requestId(pick(random, odd));
      }
      if (random.nextBoolean()) {
        b.status(100 + random.nextInt(500)).hashed(pick(random, odd), pick(random, odd));
      }
      AuditEntry e = b.build();
      long offset = random.nextLong(1L << 53);
      long at = 1_795_000_000_000L + random.nextInt(1 << 30);
      String prev = "cd".repeat(32);
      String reference =
          new JsonCanonicalizer(
                  tools.jackson.databind.json.JsonMapper.builder()
                      .build()
                      .writeValueAsString(AuditLog.record(offset, at, e, prev)))
              .getEncodedString();
      assertThat(AuditLog.Members.of(e).record(offset, at, prev)).isEqualTo(reference);
      assertThat(AuditLog.canonical(AuditLog.record(offset, at, e, prev))).isEqualTo(reference);
    }
  }

  private static String pick(java.util.Random r, String[] values) {
    return values[r.nextInt(values.length)];
  }
}
