package io.secretsapi.secret;

import io.secretsapi.SecretsApiException;

/** The secret, or the version asked for, is sealed: nothing can read or change it again. */
public final class SecretSealedException extends SecretsApiException {
  private static final long serialVersionUID = 1L;

  public SecretSealedException(String message) {
    super("sealed", message);
  }
}
