package io.secretsapi.access;

import static java.util.Objects.requireNonNull;

import java.util.Set;

/**
 * Who is calling: the service account and API key that authenticated, and the key's scopes.
 *
 * <p>Only {@link AccessService#authenticate} makes one for a request. {@code principal} is the
 * service account's name, such as {@code agent-runtime-04}: the name tokens and policies use.
 */
public record Caller(
    String serviceAccountId, String principal, String apiKeyId, Set<Scope> scopes) {
  public Caller {
    requireNonNull(serviceAccountId, "serviceAccountId");
    requireNonNull(principal, "principal");
    requireNonNull(apiKeyId, "apiKeyId");
    scopes = Set.copyOf(scopes);
  }

  /** True when the key holds {@code scope}, directly or through {@code admin}. */
  public boolean has(Scope scope) {
    return scopes.contains(Scope.ADMIN) || scopes.contains(scope);
  }

  /**
   * Refuses unless the key holds {@code scope}.
   *
   * @throws PermissionDeniedException naming the missing scope
   */
  public void require(Scope scope) {
    if (!has(scope)) {
      throw new PermissionDeniedException(scope);
    }
  }

  /** True when the caller may act on objects owned by {@code accountId} with this scope. */
  public boolean owns(String accountId) {
    return serviceAccountId.equals(accountId) || scopes.contains(Scope.ADMIN);
  }
}
