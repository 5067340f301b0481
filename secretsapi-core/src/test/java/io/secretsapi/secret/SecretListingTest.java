package io.secretsapi.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsapi.ValidationException;
import io.secretsapi.testing.Broker;
import io.secretsapi.testing.TestStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Keyset pages of the vault listing (design 0023), on both stores. */
class SecretListingTest {
  private static int made;

  private static Secret make(Broker b, int i) {
    made++;
    return b.vault()
        .create(
            b.root(),
            new NewSecret(
                "key-" + (i % 7) + "-" + made,
                i % 2 == 0 ? "openai" : "stripe",
                i % 3 == 0 ? "payments" : "model-access",
                i % 4 == 0 ? "staging" : "production",
                "team-" + (i % 3),
                List.of(),
                "value-0123456789-" + i,
                null));
  }

  private static SecretFilter filter(
      Optional<String> rc, Optional<String> env, Optional<String> owner, String sort, int limit) {
    return new SecretFilter(rc, env, Optional.empty(), owner, "active", sort, limit, 0);
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void list_everySortAndFilterWhileSecretsAreAdded_returnsEverySecretOnceInOrder(TestStore store) {
    try (Broker b = Broker.start(store)) {
      List<Secret> all = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        all.add(make(b, i));
      }
      for (int i = 0; i < 24; i += 3) { // some accessed, several at the same millisecond
        b.cleartext().current(all.get(i).id());
        if (i % 2 == 0) {
          b.clock().advance(Duration.ofMillis(1));
        }
      }
      b.cleartext().flushAccess();
      var none = Optional.<String>empty();
      int added = 100;
      for (String sort : List.of("last_access", "name", "created")) {
        for (SecretFilter f :
            List.of(
                filter(none, none, none, sort, 5),
                filter(Optional.of("payments"), none, none, sort, 2),
                filter(none, Optional.of("production"), Optional.of("team-1"), sort, 3))) {
          List<String> before = ids(b.vault().list(b.root(), withLimit(f, 500)).items());
          SecretPage page = b.vault().list(b.root(), f);
          assertThat(page.total()).isEqualTo(before.size());
          assertThat(page.totalExact()).isTrue();
          List<String> paged = new ArrayList<>(ids(page.items()));
          while (page.nextCursor().isPresent()) {
            make(b, added++);
            page = b.vault().list(b.root(), f.after(page.nextCursor().get()));
            paged.addAll(ids(page.items()));
          }
          String what = sort + " " + f.fingerprint();
          assertThat(new HashSet<>(paged)).as(what).hasSize(paged.size());
          assertThat(paged).as(what).containsSubsequence(before);
          List<String> now = ids(b.vault().list(b.root(), withLimit(f, 500)).items());
          assertThat(now).as(what).containsSubsequence(paged);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void list_cursorOfAnotherSortOrForged_refusedNamingCursor(TestStore store) {
    try (Broker b = Broker.start(store)) {
      for (int i = 0; i < 4; i++) {
        make(b, i);
      }
      var none = Optional.<String>empty();
      String cursor =
          b.vault().list(b.root(), filter(none, none, none, "name", 2)).nextCursor().orElseThrow();
      assertRefused(b, filter(none, none, none, "created", 2).after(cursor), "filters");
      assertRefused(b, filter(none, none, none, "name", 2).after("bm90IGEgY3Vyc29y"), "format");
      assertRefused(b, filter(none, none, none, "name", 2).after(cursor + "x"), "format");
    }
  }

  private static void assertRefused(Broker b, SecretFilter f, String rule) {
    assertThatThrownBy(() -> b.vault().list(b.root(), f))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> {
              assertThat(e.field()).isEqualTo("cursor");
              assertThat(e.rule()).isEqualTo(rule);
            });
  }

  private static SecretFilter withLimit(SecretFilter f, int limit) {
    return new SecretFilter(
        f.resourceClass(),
        f.environment(),
        f.provider(),
        f.owner(),
        f.status(),
        f.sort(),
        limit,
        0,
        f.name());
  }

  private static List<String> ids(List<Secret> secrets) {
    return secrets.stream().map(Secret::id).toList();
  }
}
