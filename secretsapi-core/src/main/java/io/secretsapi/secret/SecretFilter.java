package io.secretsapi.secret;

import java.util.Optional;

/**
 * Filters, order and page of a secret listing.
 *
 * @param sort {@code last_access} (most recent first, never-accessed last), {@code name} or {@code
 *     created}
 * @param status {@code active} (the default) or {@code sealed}
 * @param name only the secrets of this exact name (a name is unique per account and environment, so
 *     one name may match several secrets)
 */
public record SecretFilter(
    Optional<String> resourceClass,
    Optional<String> environment,
    Optional<String> provider,
    Optional<String> owner,
    String status,
    String sort,
    int limit,
    int offset,
    Optional<String> name) {

  /** Without a name filter. */
  public SecretFilter(
      Optional<String> resourceClass,
      Optional<String> environment,
      Optional<String> provider,
      Optional<String> owner,
      String status,
      String sort,
      int limit,
      int offset) {
    this(
        resourceClass, environment, provider, owner, status, sort, limit, offset, Optional.empty());
  }

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
