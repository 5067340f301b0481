package io.secretsapi.token;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.storage.Dialect;
import io.secretsapi.storage.Keyset;
import io.secretsapi.testing.Broker;
import io.secretsapi.testing.TestStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * SQLite's plan of every token page (design 0023): each branch searches an index that starts with
 * its driving filter and yields rows in the page's order, so that no page scans the table or sorts
 * more than a page per branch. SQLite plans without statistics here, as on a fresh store; the
 * PostgreSQL plans are in docs/benchmarks.md, read from the seeded store with its statistics.
 */
class TokenListingPlanTest {
  @Test
  void sql_everyFilterAndCursor_searchesAnIndexInOrder() {
    try (Broker b = Broker.start(TestStore.SQLITE)) {
      for (TokenFilter f : filters()) {
        for (Optional<String> account : List.of(Optional.<String>empty(), Optional.of("sa_x"))) {
          for (boolean after : List.of(false, true)) {
            String sql = TokenListing.sql(f, account, after, Dialect.SQLITE);
            List<String> plan = plan(b, sql);
            String what = f.fingerprint() + " account=" + account + " after=" + after + " " + plan;
            boolean unfiltered =
                sql.equals(TokenListing.sql(all(), Optional.empty(), false, Dialect.SQLITE));
            String scan =
                unfiltered ? "SCAN tokens USING INDEX tokens_issued" : "(?!SCAN tokens).*";
            assertThat(plan).as(what).allSatisfy(l -> assertThat(l).matches(scan));
            assertThat(plan)
                .as(what)
                .anySatisfy(l -> assertThat(l).contains("USING INDEX tokens_"));
            for (int i = 0; i + 1 < plan.size(); i++) {
              if (plan.get(i).matches("(SEARCH|SCAN) tokens .*")) {
                // rows come from the index in order: no sort before the limit (a union sorts
                // each branch's page once more to merge them, after it)
                assertThat(plan.get(i + 1)).as(what).doesNotContain("TEMP B-TREE");
              }
            }
          }
        }
      }
    }
  }

  static List<String> plan(Broker b, String sql) {
    return b.db()
        .read(
            h ->
                Keyset.query(h, "EXPLAIN QUERY PLAN " + sql)
                    .bind("sid", "sec_x")
                    .bind("p", "agent")
                    .bind("acct", "sa_x")
                    .bind("st", "active")
                    .bind("now", 1L)
                    .bind("floor", 1L)
                    .bind("eb", 1L)
                    .bind("cia", 1L)
                    .bind("cid", "tok_x")
                    .bind("limit", 51)
                    .bind("offset", 0)
                    .bind("reach", 51)
                    .map((rs, c) -> rs.getString("detail"))
                    .list());
  }

  private static TokenFilter all() {
    return new TokenFilter(
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 50, 0);
  }

  private static List<TokenFilter> filters() {
    var none = Optional.<String>empty();
    var some = Optional.of("x");
    var eb = Optional.of(Instant.parse("2026-12-01T00:00:00Z"));
    List<TokenFilter> out = new ArrayList<>();
    out.add(new TokenFilter(none, none, none, Optional.empty(), 50, 0));
    out.add(new TokenFilter(some, none, none, Optional.empty(), 50, 0));
    out.add(new TokenFilter(none, some, none, Optional.empty(), 50, 0));
    out.add(new TokenFilter(none, none, none, eb, 50, 0));
    for (String s : List.of("active", "expired", "revoked")) {
      out.add(new TokenFilter(none, none, Optional.of(s), Optional.empty(), 50, 0));
      out.add(new TokenFilter(some, some, Optional.of(s), eb, 50, 0));
      out.add(new TokenFilter(none, some, Optional.of(s), Optional.empty(), 50, 0));
    }
    return out;
  }
}
