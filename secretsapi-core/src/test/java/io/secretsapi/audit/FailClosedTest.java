package io.secretsapi.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsapi.storage.StoreUnavailableException;
import io.secretsapi.testing.RefusingAudit;
import io.secretsapi.testing.TestStore;
import io.secretsapi.testing.TokenFixture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** With the audit store refusing writes, no token is issued and the caller is told so. */
class FailClosedTest {
  static long count(TokenFixture f, String table) {
    return f.b
        .db()
        .read(h -> h.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one());
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void issue_auditStoreRefusesWrites_failsWithNothingIssued(TestStore store) {
    try (TokenFixture f = TokenFixture.start(store)) {
      f.issue("5m");
      long tokens = count(f, "tokens");
      long records = count(f, "audit_records");
      RefusingAudit.install(f.b.db());
      assertThatThrownBy(() -> f.issue("5m"))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("nothing was changed");
      assertThat(count(f, "tokens")).isEqualTo(tokens);
      assertThat(count(f, "audit_records")).isEqualTo(records);
      RefusingAudit.remove(f.b.db());
      assertThat(f.issue("5m").auditRef()).isEqualTo("AU-" + (records + 1));
    }
  }
}
