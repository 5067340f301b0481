package io.secretsapi.topology;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One node of the topology: an upstream host a scope names, the secrets that reach it and what it
 * is doing now.
 *
 * @param name the host, as scopes name it ({@code api.openai.com}, or with a port)
 * @param secrets the active secrets with a scope naming the host (those of the caller's account,
 *     unless the caller is an administrator), by id
 * @param resourceClasses the distinct resource classes of those secrets, sorted
 * @param ratePerMinute proxied calls to the host and grants of those scopes in the last minute, as
 *     this node served them
 * @param reason why the resource is in its state, such as {@code blocked by IN-9F3C-0042 on
 *     sec_7fa91c}
 */
public record Resource(
    String name,
    List<SecretRef> secrets,
    List<String> resourceClasses,
    long ratePerMinute,
    ResourceState state,
    String reason) {
  public Resource {
    requireNonNull(name, "name");
    secrets = List.copyOf(secrets);
    resourceClasses = List.copyOf(resourceClasses);
    requireNonNull(state, "state");
    requireNonNull(reason, "reason");
  }

  /** A secret that reaches a resource, and through which of its scopes. */
  public record SecretRef(
      String id, String name, String provider, String resourceClass, List<String> scopes) {
    public SecretRef {
      scopes = List.copyOf(scopes);
    }
  }
}
