package io.secretsapi.policy;

import io.secretsapi.NotFoundException;

/** No policy set (or version) with that id. */
public final class PolicyNotFoundException extends NotFoundException {
  private static final long serialVersionUID = 1L;

  public PolicyNotFoundException(String id) {
    super("policy", id);
  }
}
