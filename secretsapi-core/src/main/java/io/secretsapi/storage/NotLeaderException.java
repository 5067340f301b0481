package io.secretsapi.storage;

import io.secretsapi.SecretsApiException;

/**
 * A leader-only write was refused because this node does not hold the leader's lease (any more):
 * its term ended, or another node's began. Nothing was written.
 */
public final class NotLeaderException extends SecretsApiException {
  private static final long serialVersionUID = 1L;

  public NotLeaderException(String message) {
    super("not-leader", message);
  }
}
