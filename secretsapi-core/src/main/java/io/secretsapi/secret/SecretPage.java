package io.secretsapi.secret;

import java.util.List;
import java.util.Optional;

/**
 * One page of a listing: the items, how many match in all ("showing 8 of 142"), and the cursor of
 * the next page. The count stops at {@link #COUNT_CAP}: past it {@code total} is the cap and {@code
 * totalExact} false, so that no page counts a whole large table (design 0023).
 */
public record SecretPage(
    List<Secret> items,
    long total,
    int limit,
    int offset,
    Optional<String> nextCursor,
    boolean totalExact) {
  /** The most matches a page counts. */
  public static final int COUNT_CAP = 10_000;

  /** A last page whose count is exact. */
  public SecretPage(List<Secret> items, long total, int limit, int offset) {
    this(items, total, limit, offset, Optional.empty(), true);
  }

  /** The sentence the console shows, such as {@code showing 8 of 142} or {@code of 10000+}. */
  public String summary() {
    return "showing " + items.size() + " of " + total + (totalExact ? "" : "+");
  }
}
