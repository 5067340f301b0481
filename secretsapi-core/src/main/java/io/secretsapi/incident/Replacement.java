package io.secretsapi.incident;

import io.secretsapi.access.Caller;
import io.secretsapi.secret.Secret;
import java.util.Optional;

/**
 * How step 6 of the playbook gets the contained secret a new value. The replacement grants are
 * issued at the version this answers; when it has none yet, the step is recorded {@code pending}
 * with the reason, and the incident blocks the secret until an operator closes it.
 *
 * <p>{@link GeneratedReplacement} serves today: it rotates a {@code generated} secret in the vault
 * at once, with no grace for the contained value. The rotation engine ({@code
 * io.secretsapi.rotation}) plugs in here, queueing a rotation triggered by the incident.
 */
public interface Replacement {
  /**
   * What became of the request for a new value.
   *
   * @param version the new current version, when the value was replaced
   * @param detail what was done, or why it is pending (never a value)
   */
  record Outcome(Optional<Integer> version, String detail) {
    public static Outcome replaced(int version, String detail) {
      return new Outcome(Optional.of(version), detail);
    }

    public static Outcome pending(String why) {
      return new Outcome(Optional.empty(), why);
    }
  }

  /** Gives {@code secret} a new current value for incident {@code incidentId}, or says why not. */
  Outcome replace(Caller caller, Secret secret, String incidentId);
}
