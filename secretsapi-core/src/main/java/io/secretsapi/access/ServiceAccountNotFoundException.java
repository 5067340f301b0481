package io.secretsapi.access;

import io.secretsapi.NotFoundException;

/** No service account with that id is visible to the caller. */
public final class ServiceAccountNotFoundException extends NotFoundException {
  private static final long serialVersionUID = 1L;

  public ServiceAccountNotFoundException(String id) {
    super("service account", id);
  }
}
