package io.secretsapi.secret;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.storage.Dialect;
import io.secretsapi.storage.Keyset;
import io.secretsapi.testing.Broker;
import io.secretsapi.testing.TestStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * SQLite's plan of the vault's pages and counts under the default sort (design 0023), as on a fresh
 * store: every read of secrets is an index search, in the page's order.
 */
class SecretListingPlanTest {
  @Test
  void pageSql_everyFilterWithTheDefaultSort_searchesAnIndexInOrder() {
    try (Broker b = Broker.start(TestStore.SQLITE)) {
      for (SecretFilter f : filters()) {
        for (Optional<String> account : List.of(Optional.<String>empty(), Optional.of("sa_x"))) {
          for (boolean after : List.of(false, true)) {
            List<String> plan = plan(b, SecretListing.pageSql(account, f, after, Dialect.SQLITE));
            List<String> count = plan(b, SecretListing.countSql(account, f, Dialect.SQLITE));
            String what = f.fingerprint() + " " + account + " " + after + " " + plan + count;
            if (f.name().isEmpty()) { // one name's few secrets are sorted
              assertThat(plan).as(what).noneMatch(l -> l.contains("TEMP B-TREE"));
            }
            assertThat(plan).as(what).noneMatch(l -> l.startsWith("SCAN s ") || l.equals("SCAN s"));
            assertThat(count)
                .as(what)
                .noneMatch(l -> l.startsWith("SCAN s ") || l.equals("SCAN s"));
          }
        }
      }
    }
  }

  private static List<String> plan(Broker b, String sql) {
    return b.db()
        .read(
            h ->
                Keyset.query(h, "EXPLAIN QUERY PLAN " + sql)
                    .bind("status", "active")
                    .bind("account", "sa_x")
                    .bind("rc", "cdn")
                    .bind("env", "staging")
                    .bind("provider", "openai")
                    .bind("owner", "team-7")
                    .bind("name", "svc-1")
                    .bind("k0", 1L)
                    .bind("k1", "a")
                    .bind("k2", "sec_x")
                    .bind("limit", 51)
                    .bind("offset", 0)
                    .bind("cap", 10001)
                    .map((rs, c) -> rs.getString("detail"))
                    .list());
  }

  private static List<SecretFilter> filters() {
    var none = Optional.<String>empty();
    List<SecretFilter> out = new ArrayList<>();
    out.add(new SecretFilter(none, none, none, none, "active", "last_access", 50, 0));
    out.add(new SecretFilter(Optional.of("cdn"), none, none, none, "active", "last_access", 50, 0));
    out.add(
        new SecretFilter(none, Optional.of("staging"), none, none, "active", "last_access", 50, 0));
    out.add(
        new SecretFilter(
            Optional.of("cdn"),
            Optional.of("staging"),
            none,
            none,
            "active",
            "last_access",
            50,
            0));
    out.add(
        new SecretFilter(none, none, Optional.of("openai"), none, "active", "last_access", 50, 0));
    out.add(
        new SecretFilter(none, none, none, Optional.of("team-7"), "active", "last_access", 50, 0));
    out.add(
        new SecretFilter(
            none, none, none, none, "active", "last_access", 50, 0, Optional.of("svc-1")));
    out.add(new SecretFilter(none, none, none, none, "active", "name", 50, 0));
    out.add(new SecretFilter(none, none, none, none, "active", "created", 50, 0));
    return out;
  }
}
