package io.secretsapi.storage;

import io.secretsapi.SecretsApiException;

/** The store could not be reached or refused to commit; nothing was changed. */
public final class StoreUnavailableException extends SecretsApiException {
  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message, Throwable cause) {
    super("store-unavailable", message, cause);
  }
}
