package io.secretsapi.access;

import io.secretsapi.NotFoundException;

/** No API key with that id is visible to the caller. */
public final class ApiKeyNotFoundException extends NotFoundException {
  private static final long serialVersionUID = 1L;

  public ApiKeyNotFoundException(String id) {
    super("api key", id);
  }
}
