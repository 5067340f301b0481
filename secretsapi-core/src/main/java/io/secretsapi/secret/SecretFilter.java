package io.secretsapi.secret;

import java.util.Optional;

/**
 * Filters, order and page of a secret listing.
 *
 * @param sort {@code last_access} (most recent first, never-accessed last), {@code name} or {@code
 *     created}
 * @param status {@code active} (the default) or {@code sealed}
 */
public record SecretFilter(
    Optional<String> resourceClass,
    Optional<String> environment,
    Optional<String> provider,
    Optional<String> owner,
    String status,
    String sort,
    int limit,
    int offset) {

  /** Active secrets by last access, 50 to a page. */
  public static SecretFilter defaults() {
    return new SecretFilter(
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        "active",
        "last_access",
        50,
        0);
  }
}
