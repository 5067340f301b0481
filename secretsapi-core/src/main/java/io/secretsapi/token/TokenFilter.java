package io.secretsapi.token;

import java.time.Instant;
import java.util.Optional;

/**
 * Filters and page of the token inventory, newest first ({@code issued_at} descending, then id).
 *
 * @param status {@code active}, {@code expired} or {@code revoked}
 * @param limit 1 to 500 tokens a page
 * @param offset tokens to skip: the older way to page, which costs in proportion to the depth; 0
 *     when {@code cursor} is given
 * @param cursor the {@code next_cursor} of the page before, under the same filters
 */
public record TokenFilter(
    Optional<String> secretId,
    Optional<String> principal,
    Optional<String> status,
    Optional<Instant> expiringBefore,
    int limit,
    int offset,
    Optional<String> cursor) {

  /** Without a cursor: the first page, or a page by offset. */
  public TokenFilter(
      Optional<String> secretId,
      Optional<String> principal,
      Optional<String> status,
      Optional<Instant> expiringBefore,
      int limit,
      int offset) {
    this(secretId, principal, status, expiringBefore, limit, offset, Optional.empty());
  }

  /** The same filters, from the page after {@code nextCursor}. */
  public TokenFilter after(String nextCursor) {
    return new TokenFilter(
        secretId, principal, status, expiringBefore, limit, 0, Optional.of(nextCursor));
  }

  /** The filters a cursor is bound to (not the page: limit and position may change). */
  String fingerprint() {
    return "secret_id="
        + secretId.orElse("")
        + "&principal="
        + principal.orElse("")
        + "&status="
        + status.orElse("")
        + "&expiring_before="
        + expiringBefore.map(i -> Long.toString(i.toEpochMilli())).orElse("");
  }
}
