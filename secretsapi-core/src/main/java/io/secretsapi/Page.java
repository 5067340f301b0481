package io.secretsapi;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * One page of a keyset-paginated listing: its items, in the listing's order, and the cursor of the
 * next page, empty on the last one. A page costs the same at any depth (design 0023).
 */
public record Page<T>(List<T> items, Optional<String> nextCursor) {
  public Page {
    items = List.copyOf(requireNonNull(items, "items"));
    requireNonNull(nextCursor, "nextCursor");
  }
}
