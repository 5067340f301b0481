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
}
