package io.secretsapi.pkg;

import io.secretsapi.NotFoundException;

/** No package of the caller's account has that id. */
public final class PackageNotFoundException extends NotFoundException {
  private static final long serialVersionUID = 1L;

  public PackageNotFoundException(String id) {
    super("package", id);
  }
}
