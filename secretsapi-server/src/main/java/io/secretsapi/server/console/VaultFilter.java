package io.secretsapi.server.console;

import io.javalin.http.Context;
import io.secretsapi.ValidationException;
import io.secretsapi.secret.SecretFilter;
import java.util.Optional;

/**
 * The vault's filters as the page's form sends them: {@code scope} (the resource class, such as
 * {@code model-access}), {@code env}, {@code sort}; empty text means any.
 */
record VaultFilter(String scope, String env, String sort, int limit) {
  static final int PAGE = 50;

  static VaultFilter of(Context ctx) {
    String sort = text(ctx, "sort");
    return new VaultFilter(
        text(ctx, "scope"), text(ctx, "env"), sort.isEmpty() ? "last_access" : sort, limit(ctx));
  }

  SecretFilter toSecretFilter() {
    return new SecretFilter(
        opt(scope), opt(env), Optional.empty(), Optional.empty(), "active", sort, limit, 0);
  }

  private static Optional<String> opt(String s) {
    return s.isEmpty() ? Optional.empty() : Optional.of(s);
  }

  private static String text(Context ctx, String name) {
    String v = ctx.queryParam(name);
    return v == null ? "" : v.trim();
  }

  private static int limit(Context ctx) {
    String v = ctx.queryParam("limit");
    if (v == null || v.isEmpty()) {
      return PAGE;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new ValidationException("limit", "integer", "limit must be a whole number");
    }
  }
}
