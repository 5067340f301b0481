package io.secretsapi.storage;

import io.secretsapi.SecretsApiException;

/** The store could not be reached or refused to commit; nothing was changed. */
public final class StoreUnavailableException extends SecretsApiException {
  private static final long serialVersionUID = 1L;

  private final boolean known;

  public StoreUnavailableException(String message, Throwable cause) {
    this(message, cause, false);
  }

  private StoreUnavailableException(String message, Throwable cause, boolean known) {
    super("store-unavailable", message, cause);
    this.known = known;
  }

  /**
   * A refusal because the store is known to be down: the probe logged the outage once, and each
   * refused request need not log it again.
   */
  static StoreUnavailableException knownDown(String message) {
    return new StoreUnavailableException(message, null, true);
  }

  /** True for a refusal while the store is known to be down ({@link #knownDown}). */
  public boolean known() {
    return known;
  }
}
