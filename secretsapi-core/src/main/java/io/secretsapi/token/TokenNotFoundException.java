package io.secretsapi.token;

import io.secretsapi.NotFoundException;

/** No token with that id is visible to the caller. */
public final class TokenNotFoundException extends NotFoundException {
  private static final long serialVersionUID = 1L;

  public TokenNotFoundException(String id) {
    super("token", id);
  }
}
