package io.secretsapi.server.console;

import io.secretsapi.access.Caller;

/**
 * The API's scope checks, read from its route table: what a key may do in the console is what it
 * may do through the API, endpoint by endpoint.
 */
final class Scopes {
  private Scopes() {}

  /** True when {@code caller} may call the API endpoint {@code endpoint}. */
  static boolean allows(Caller caller, ApiTable api, String endpoint) {
    return api.scopeOf(endpoint).map(caller::has).orElse(true);
  }

  /**
   * Refuses unless {@code caller} may call {@code endpoint}, exactly as the API would.
   *
   * @throws io.secretsapi.access.PermissionDeniedException naming the missing scope
   */
  static void require(Caller caller, ApiTable api, String endpoint) {
    api.scopeOf(endpoint).ifPresent(caller::require);
  }
}
