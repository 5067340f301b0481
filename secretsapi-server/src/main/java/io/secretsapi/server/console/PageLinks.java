package io.secretsapi.server.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The links that move through a keyset-paginated listing (design 0023): the same filters with the
 * listing's {@code next_cursor}, and the first page without a cursor. A page of the console costs
 * what the API's page costs, at any depth.
 */
final class PageLinks {
  private PageLinks() {}

  /** Filters as a query string (without {@code ?}), empty values left out, in the map's order. */
  static String query(Map<String, String> params) {
    return params.entrySet().stream()
        .filter(e -> e.getValue() != null && !e.getValue().isEmpty())
        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  /** The page after this one: {@code path?filters&cursor=next}; empty on the last page. */
  static String next(String path, Map<String, String> filters, Optional<String> nextCursor) {
    if (nextCursor.isEmpty()) {
      return "";
    }
    String q = query(filters);
    return path
        + "?"
        + q
        + (q.isEmpty() ? "" : "&")
        + "cursor="
        + URLEncoder.encode(nextCursor.get(), StandardCharsets.UTF_8);
  }

  /** The first page of the same filters; empty when this page is the first. */
  static String first(String path, Map<String, String> filters, String cursor) {
    if (cursor.isEmpty()) {
      return "";
    }
    String q = query(filters);
    return q.isEmpty() ? path : path + "?" + q;
  }
}
