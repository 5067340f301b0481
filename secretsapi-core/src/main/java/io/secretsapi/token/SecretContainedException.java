package io.secretsapi.token;

import io.secretsapi.ConflictException;

/** A new grant of a secret that an open incident contains: refused until the incident closes. */
public final class SecretContainedException extends ConflictException {
  private static final long serialVersionUID = 1L;

  SecretContainedException(String secretId, String incidentId) {
    super(
        "secret_id",
        "secret " + secretId + " is contained by incident " + incidentId + ": no new grants");
  }
}
