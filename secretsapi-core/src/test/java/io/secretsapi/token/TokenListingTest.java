package io.secretsapi.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsapi.Page;
import io.secretsapi.ValidationException;
import io.secretsapi.access.Caller;
import io.secretsapi.access.Scope;
import io.secretsapi.secret.NewSecret;
import io.secretsapi.secret.Secret;
import io.secretsapi.testing.TestStore;
import io.secretsapi.testing.TokenFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Keyset pages of the token inventory (design 0023), on both stores. */
class TokenListingTest {
  private static final Comparator<Grant> ORDER =
      Comparator.comparing(Grant::issuedAt).reversed().thenComparing(Grant::id);

  /** Tokens of two agents on two secrets (one owned by the second agent), many at the same ms. */
  static final class World {
    final TokenFixture f;
    final Caller agent05;
    final Secret secret2;
    final Random random = new Random(23);

    World(TestStore store) {
      f = TokenFixture.start(store);
      agent05 =
          f.b.principal(
              "agent-runtime-05", Scope.TOKENS_ISSUE, Scope.SECRETS_WRITE, Scope.AUDIT_READ);
      secret2 =
          f.b
              .vault()
              .create(
                  agent05,
                  new NewSecret(
                      "anthropic-key",
                      "anthropic",
                      "model-access",
                      "production",
                      "AI",
                      List.of(),
                      "sk-ant-0123456789",
                      null));
      f.b.core().scopes().define(f.b.root(), secret2.id(), TokenFixture.modelAccess());
    }

    /** One more token, at the same millisecond as the last or a little later. */
    Grant issueOne() {
      if (random.nextInt(3) == 0) {
        f.b.clock().advance(Duration.ofMillis(random.nextInt(3)));
      }
      boolean second = random.nextBoolean();
      Caller who = random.nextBoolean() ? f.agent : agent05;
      String principal = who == f.agent ? "agent-runtime-04" : "agent-runtime-05";
      String ttl = random.nextInt(4) == 0 ? "1m" : "15m";
      Grant g =
          f.b
              .core()
              .tokens()
              .issue(
                  who,
                  new IssueRequest(
                      second ? secret2.id() : f.secret.id(),
                      "model-access",
                      ttl,
                      principal,
                      "production",
                      null),
                  Optional.empty())
              .grant();
      if (random.nextInt(6) == 0) {
        f.b
            .core()
            .tokens()
            .revoke(
                f.b.root(),
                new RevokeRequest(g.id(), false, null, null, null, "test"),
                Optional.empty());
      }
      return g;
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void page_everyFilterWhileTokensAreIssued_returnsEveryTokenOnceInOrder(TestStore store) {
    World w = new World(store);
    try (TokenFixture f = w.f) {
      for (int i = 0; i < 40; i++) {
        w.issueOne();
      }
      f.b.clock().advance(Duration.ofMinutes(2)); // the 1m tokens expire
      for (int i = 0; i < 15; i++) {
        w.issueOne();
      }
      Caller reader05 = f.b.callerWith(Scope.AUDIT_READ);
      List<TokenFilter> filters = filters(w);
      for (Caller caller : List.of(f.b.root(), w.agent05, reader05)) {
        for (TokenFilter filter : filters) {
          List<Grant> before = f.b.core().tokens().list(caller, withLimit(filter, 500));
          List<Grant> paged = new ArrayList<>();
          Page<Grant> page = f.b.core().tokens().page(caller, filter);
          paged.addAll(page.items());
          while (page.nextCursor().isPresent()) {
            w.issueOne(); // rows arrive between pages, some at the cursor's millisecond
            page = f.b.core().tokens().page(caller, filter.after(page.nextCursor().get()));
            assertThat(page.items().size()).isLessThanOrEqualTo(filter.limit());
            paged.addAll(page.items());
          }
          String what = filter.fingerprint();
          assertThat(new HashSet<>(paged.stream().map(Grant::id).toList()))
              .as(what)
              .hasSize(paged.size());
          assertThat(paged).as(what).isSortedAccordingTo(ORDER);
          assertThat(ids(paged)).as(what).containsSubsequence(ids(before));
        }
      }
    }
  }

  private static List<TokenFilter> filters(World w) {
    List<TokenFilter> out = new ArrayList<>();
    var none = Optional.<String>empty();
    var eb = Optional.of(w.f.b.clock().instant().plus(Duration.ofMinutes(5)));
    out.add(new TokenFilter(none, none, none, Optional.empty(), 4, 0));
    out.add(new TokenFilter(Optional.of(w.secret2.id()), none, none, Optional.empty(), 3, 0));
    out.add(new TokenFilter(none, Optional.of("agent-runtime-04"), none, Optional.empty(), 5, 0));
    for (String s : List.of("active", "expired", "revoked")) {
      out.add(new TokenFilter(none, none, Optional.of(s), Optional.empty(), 3, 0));
    }
    out.add(new TokenFilter(none, none, none, eb, 4, 0));
    out.add(
        new TokenFilter(
            Optional.of(w.f.secret.id()),
            Optional.of("agent-runtime-05"),
            Optional.of("active"),
            Optional.empty(),
            2,
            0));
    return out;
  }

  private static TokenFilter withLimit(TokenFilter f, int limit) {
    return new TokenFilter(f.secretId(), f.principal(), f.status(), f.expiringBefore(), limit, 0);
  }

  private static List<String> ids(List<Grant> grants) {
    return grants.stream().map(Grant::id).toList();
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void page_cursorOfOtherFiltersOrForged_refusedNamingCursor(TestStore store) {
    World w = new World(store);
    try (TokenFixture f = w.f) {
      for (int i = 0; i < 5; i++) {
        w.issueOne();
      }
      var none = Optional.<String>empty();
      TokenFilter all = new TokenFilter(none, none, none, Optional.empty(), 2, 0);
      String cursor = f.b.core().tokens().page(f.b.root(), all).nextCursor().orElseThrow();
      TokenFilter revoked =
          new TokenFilter(none, none, Optional.of("revoked"), Optional.empty(), 2, 0);
      assertRefused(w, revoked.after(cursor), "cursor", "filters");
      for (String forged : List.of("x", "!!", cursor.substring(1), "WyIxIiwidG9rZW5zIl0", "e30")) {
        assertRefused(w, all.after(forged), "cursor", "format");
      }
      assertRefused(
          w,
          new TokenFilter(none, none, none, Optional.empty(), 2, 4, Optional.of(cursor)),
          "cursor",
          "exclusive");
      assertRefused(w, new TokenFilter(none, none, none, Optional.empty(), 0, 0), "limit", "range");
      assertRefused(
          w, new TokenFilter(none, none, none, Optional.empty(), 501, 0), "limit", "range");
      assertThat(f.b.core().tokens().page(f.b.root(), withLimit(all, 500)).items()).hasSize(5);
    }
  }

  private static void assertRefused(World w, TokenFilter filter, String field, String rule) {
    assertThatThrownBy(() -> w.f.b.core().tokens().page(w.f.b.root(), filter))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> {
              assertThat(e.field()).isEqualTo(field);
              assertThat(e.rule()).isEqualTo(rule);
            });
  }
}
