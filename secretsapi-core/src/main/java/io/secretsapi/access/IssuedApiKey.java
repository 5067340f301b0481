package io.secretsapi.access;

import static java.util.Objects.requireNonNull;

/**
 * A key just created or rotated: the stored view and the one-time plaintext. The plaintext is
 * returned to the caller once and never stored; {@link #toString()} does not print it.
 */
public record IssuedApiKey(ApiKey key, String plaintext) {
  public IssuedApiKey {
    requireNonNull(key, "key");
    requireNonNull(plaintext, "plaintext");
  }

  @Override
  public String toString() {
    return "IssuedApiKey[" + key.id() + ", plaintext=<redacted>]";
  }
}
