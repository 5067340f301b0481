package io.secretsapi.rotation;

import io.secretsapi.NotFoundException;

/** No rotation of that id that the caller may see. */
public final class RotationNotFoundException extends NotFoundException {
  private static final long serialVersionUID = 1L;

  public RotationNotFoundException(String id) {
    super("rotation", id);
  }
}
