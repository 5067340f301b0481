package io.secretsapi.crypto;

import io.secretsapi.SecretsApiException;

/** The key-encryption key could not be created, read, parsed or written. */
public final class KeyMaterialException extends SecretsApiException {
  private static final long serialVersionUID = 1L;

  public KeyMaterialException(String message, Throwable cause) {
    super("key-material", message, cause);
  }
}
