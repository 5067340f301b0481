package io.secretsapi.topology;

import io.secretsapi.NotFoundException;

/** No trust zone has that name. */
public final class ZoneNotFoundException extends NotFoundException {
  private static final long serialVersionUID = 1L;

  public ZoneNotFoundException(String name) {
    super("trust zone", name);
  }
}
