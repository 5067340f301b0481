package io.secretsapi.server.console;

import io.javalin.http.Context;
import io.secretsapi.secret.SecretFilter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The vault's filters as the page's form sends them: {@code scope} (the resource class, such as
 * {@code model-access}), {@code env}, {@code sort}; empty text means any. {@code cursor} is the
 * API's {@code next_cursor} of the page before, empty on the first page.
 */
record VaultFilter(String scope, String env, String sort, int limit, String cursor) {
  static final int PAGE = 50;
  static final VaultFilter DEFAULT = new VaultFilter("", "", "last_access", PAGE, "");

  static VaultFilter of(Context ctx) {
    String sort = QueryParams.text(ctx, "sort");
    return new VaultFilter(
        QueryParams.text(ctx, "scope"),
        QueryParams.text(ctx, "env"),
        sort.isEmpty() ? "last_access" : sort,
        QueryParams.limit(ctx, PAGE),
        QueryParams.cursor(ctx));
  }

  SecretFilter toSecretFilter() {
    SecretFilter f =
        new SecretFilter(
            opt(scope), opt(env), Optional.empty(), Optional.empty(), "active", sort, limit, 0);
    return cursor.isEmpty() ? f : f.after(cursor);
  }

  /** The filters without the cursor, for the links to the next and the first page. */
  Map<String, String> params() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("scope", scope);
    m.put("env", env);
    m.put("sort", sort);
    m.put("limit", limit == PAGE ? "" : Integer.toString(limit));
    return m;
  }

  private static Optional<String> opt(String s) {
    return s.isEmpty() ? Optional.empty() : Optional.of(s);
  }
}
