package io.secretsapi.topology;

import java.util.Locale;

/**
 * The state of a resource, in precedence order: the first that holds is the one a resource is in.
 */
public enum ResourceState {
  /** An open incident contains a secret that reaches it: no grant of that secret is honoured. */
  BLOCKED,
  /** A secret that reaches it scores at or above its exposure threshold. */
  EXPOSED,
  /** A rotation of a secret that reaches it is making the secret's new value. */
  ROTATING,
  /** It was called (proxied calls and grants) in the last minute. */
  ACTIVE,
  /** The latest validation probe of each secret that reaches it passed. */
  VERIFIED,
  /** A scope names it, and none of the above holds. */
  SCOPED;

  /** The name on the wire, such as {@code blocked}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
