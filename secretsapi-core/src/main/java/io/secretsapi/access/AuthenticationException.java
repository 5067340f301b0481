package io.secretsapi.access;

import io.secretsapi.SecretsApiException;

/**
 * No valid API key was presented. Unknown, malformed, expired and revoked keys all get the same
 * message, so that an attacker learns nothing about which keys exist.
 */
public final class AuthenticationException extends SecretsApiException {
  private static final long serialVersionUID = 1L;

  public AuthenticationException() {
    super("unauthenticated", "a valid api key is required: send Authorization: Bearer sk_...");
  }
}
