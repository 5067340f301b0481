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
 * @param offset secrets to skip: the older way to page, which costs in proportion to the depth; 0
 *     when {@code cursor} is given
 * @param cursor the {@code next_cursor} of the page before, under the same filters and sort
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
    Optional<String> name,
    Optional<String> cursor) {

  /** Without a cursor: the first page, or a page by offset. */
  public SecretFilter(
      Optional<String> resourceClass,
      Optional<String> environment,
      Optional<String> provider,
      Optional<String> owner,
      String status,
      String sort,
      int limit,
      int offset,
      Optional<String> name) {
    this(
        resourceClass,
        environment,
        provider,
        owner,
        status,
        sort,
        limit,
        offset,
        name,
        Optional.empty());
  }

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

  /** The same filters and sort, from the page after {@code nextCursor}. */
  public SecretFilter after(String nextCursor) {
    return new SecretFilter(
        resourceClass,
        environment,
        provider,
        owner,
        status,
        sort,
        limit,
        0,
        name,
        Optional.of(nextCursor));
  }

  /** The filters and sort a cursor is bound to. */
  String fingerprint() {
    return String.join(
        "\u0000",
        resourceClass.orElse(""),
        environment.orElse(""),
        provider.orElse(""),
        owner.orElse(""),
        status,
        sort,
        name.orElse(""));
  }
}
