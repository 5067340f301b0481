package io.secretsapi.crypto;

import io.secretsapi.SecretsApiException;

/**
 * A sealed value failed authentication: it was changed, moved to another row, or wrapped by a
 * key-encryption key that is not loaded. No partial plaintext is ever returned.
 */
public final class DecryptionFailedException extends SecretsApiException {
  private static final long serialVersionUID = 1L;

  public DecryptionFailedException(String message, Throwable cause) {
    super("decryption-failed", message, cause);
  }
}
