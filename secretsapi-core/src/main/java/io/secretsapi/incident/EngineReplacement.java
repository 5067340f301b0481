package io.secretsapi.incident;

import static java.util.Objects.requireNonNull;

import io.secretsapi.ValidationException;
import io.secretsapi.access.Caller;
import io.secretsapi.secret.Secret;

/**
 * Step 6 with the rotation engine: a {@code generated} secret gets its new value at once ({@link
 * GeneratedReplacement}); a secret with a rotator of its own (webhook, PostgreSQL) gets a rotation
 * queued by the incident, with no grace for the contained value. Until that rotation promotes, the
 * step is {@code pending} and the incident keeps the secret blocked.
 */
public final class EngineReplacement implements Replacement {
  /** Queues a rotation for an incident; answers its {@code ROT-} id and rotator, in words. */
  @FunctionalInterface
  public interface Queue {
    /**
     * @throws ValidationException when the secret has no rotator
     */
    String queue(Secret secret, String incidentId);
  }

  private final GeneratedReplacement generated;
  private final Queue rotations;

  public EngineReplacement(GeneratedReplacement generated, Queue rotations) {
    this.generated = requireNonNull(generated, "generated");
    this.rotations = requireNonNull(rotations, "rotations");
  }

  @Override
  public Outcome replace(Caller caller, Secret secret, String incidentId) {
    if (secret.kind().equals("generated")) {
      return generated.replace(caller, secret, incidentId);
    }
    String queued;
    try {
      queued = rotations.queue(secret, incidentId);
    } catch (ValidationException e) { // no rotator: only the owner can make the value
      return generated.replace(caller, secret, incidentId);
    }
    return Outcome.pending(
        queued
            + ", no grace for the contained value; the secret stays blocked until the incident"
            + " closes (close it once the rotation is promoted)");
  }
}
