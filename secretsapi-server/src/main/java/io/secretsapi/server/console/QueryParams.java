package io.secretsapi.server.console;

import io.javalin.http.Context;
import io.secretsapi.ValidationException;

/**
 * The console's filters as the query string carries them: trimmed text (empty when absent) of at
 * most 200 characters, a cursor of at most the API's 2,048, and a whole-number page size; anything
 * else is refused naming the field and the rule, as the API refuses it.
 */
final class QueryParams {
  private static final int MAX = 200;
  private static final int MAX_CURSOR = 2048;

  private QueryParams() {}

  /** The trimmed value of {@code name}, empty when absent. */
  static String text(Context ctx, String name) {
    return bounded(name, ctx.queryParam(name), MAX);
  }

  /** The {@code cursor} of the page before, empty on the first page. */
  static String cursor(Context ctx) {
    return bounded("cursor", ctx.queryParam("cursor"), MAX_CURSOR);
  }

  /** The {@code limit}, {@code page} when absent. */
  static int limit(Context ctx, int page) {
    String v = text(ctx, "limit");
    if (v.isEmpty()) {
      return page;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new ValidationException("limit", "integer", "limit must be a whole number");
    }
  }

  static String bounded(String name, String value, int max) {
    String v = value == null ? "" : value.trim();
    if (v.length() > max) {
      throw new ValidationException(
          name, "length", name + " must be at most " + max + " characters");
    }
    return v;
  }
}
