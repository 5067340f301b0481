package io.secretsapi.pkg;

import io.secretsapi.NotFoundException;

/** No engine of the caller's account has that id. */
public final class EngineNotFoundException extends NotFoundException {
  private static final long serialVersionUID = 1L;

  public EngineNotFoundException(String id) {
    super("engine", id);
  }
}
