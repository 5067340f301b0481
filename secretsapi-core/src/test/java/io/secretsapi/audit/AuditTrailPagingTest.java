package io.secretsapi.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsapi.Page;
import io.secretsapi.ValidationException;
import io.secretsapi.testing.TestStore;
import io.secretsapi.testing.TokenFixture;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Keyset pages of the audit trail (design 0023), on both stores. */
class AuditTrailPagingTest {
  private static AuditTrail.Filter filter(
      Optional<String> secret,
      Optional<String> token,
      Optional<String> principal,
      Optional<String> type,
      Optional<Long> from,
      int limit) {
    return new AuditTrail.Filter(secret, token, principal, type, from, Optional.empty(), limit);
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void page_everyFilterWhileRecordsAreAppended_returnsEveryRecordOnceInOrder(TestStore store) {
    try (TokenFixture f = TokenFixture.start(store)) {
      String token = f.issue("5m").grant().id();
      for (int i = 0; i < 12; i++) {
        f.issue("5m");
      }
      var none = Optional.<String>empty();
      List<AuditTrail.Filter> filters =
          List.of(
              filter(none, none, none, none, Optional.empty(), 4),
              filter(Optional.of(f.secret.id()), none, none, none, Optional.empty(), 3),
              filter(none, Optional.of(token), none, none, Optional.empty(), 1),
              filter(none, none, Optional.of("agent-runtime-04"), none, Optional.empty(), 5),
              filter(none, none, none, Optional.of("token.issue"), Optional.of(3L), 2));
      for (AuditTrail.Filter filter : filters) {
        List<Long> before = offsets(f.b.core().trail().read(f.b.root(), withLimit(filter, 1000)));
        List<Long> paged = new ArrayList<>();
        Page<AuditTrail.Stored> page = f.b.core().trail().page(f.b.root(), filter);
        paged.addAll(offsets(page.items()));
        while (page.nextCursor().isPresent()) {
          f.issue("5m");
          page = f.b.core().trail().page(f.b.root(), filter.after(page.nextCursor().get()));
          paged.addAll(offsets(page.items()));
        }
        assertThat(paged).as(filter.fingerprint()).isSorted().doesNotHaveDuplicates();
        assertThat(paged.subList(0, before.size())).as(filter.fingerprint()).isEqualTo(before);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void page_cursorOfOtherFiltersOrForged_refusedNamingCursor(TestStore store) {
    try (TokenFixture f = TokenFixture.start(store)) {
      f.issue("5m");
      var none = Optional.<String>empty();
      AuditTrail.Filter all = filter(none, none, none, none, Optional.empty(), 1);
      String cursor = f.b.core().trail().page(f.b.root(), all).nextCursor().orElseThrow();
      AuditTrail.Filter byType =
          filter(none, none, none, Optional.of("token.issue"), Optional.empty(), 1);
      for (var bad : List.of(byType.after(cursor), all.after("%%%"), all.after(""))) {
        assertThatThrownBy(() -> f.b.core().trail().page(f.b.root(), bad))
            .isInstanceOfSatisfying(
                ValidationException.class, e -> assertThat(e.field()).isEqualTo("cursor"));
      }
    }
  }

  private static AuditTrail.Filter withLimit(AuditTrail.Filter f, int limit) {
    return new AuditTrail.Filter(
        f.secretId(), f.tokenId(), f.principal(), f.type(), f.from(), f.to(), limit);
  }

  private static List<Long> offsets(List<AuditTrail.Stored> rows) {
    return rows.stream().map(AuditTrail.Stored::offset).toList();
  }
}
