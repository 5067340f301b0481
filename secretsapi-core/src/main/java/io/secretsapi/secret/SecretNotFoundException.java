package io.secretsapi.secret;

import io.secretsapi.NotFoundException;

/** No secret with that id is visible to the caller. */
public final class SecretNotFoundException extends NotFoundException {
  private static final long serialVersionUID = 1L;

  public SecretNotFoundException(String id) {
    super("secret", id);
  }
}
