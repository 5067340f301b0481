package io.secretsapi.token;

import io.secretsapi.SecretsApiException;

/**
 * A presented token is not one the broker can accept: malformed, badly signed, for another
 * audience, expired, not yet valid, revoked. The reason is specific but never echoes the token.
 */
public final class InvalidTokenException extends SecretsApiException {
  private static final long serialVersionUID = 1L;

  public InvalidTokenException(String reason) {
    super("invalid-token", reason);
  }
}
