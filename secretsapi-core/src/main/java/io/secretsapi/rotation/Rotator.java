package io.secretsapi.rotation;

import io.secretsapi.secret.Secret;

/**
 * Makes a secret's next value, checks it works, and retires the previous one. Each method may be
 * called again for the same rotation after a crash, so each must be safe to repeat: making again
 * replaces what an interrupted call made, and retiring twice retires once.
 *
 * <p>Failures are {@link RotatorException}s whose message names no value.
 */
interface Rotator {
  /** What a rotator works with: the rotation, its secret and settings, and the current value. */
  record Context(RotationJob job, Secret secret, RotationSettings settings, String current) {
    @Override
    public String toString() {
      return "Context[" + job.id() + ", " + secret.id() + ", current=<redacted>]";
    }
  }

  /** Makes the new value (at the provider, where there is one). */
  String make(Context c);

  /** Checks that {@code pending} works where it is used; by default there is nothing to check. */
  default void verify(Context c, String pending) {}

  /**
   * Retires the value that preceded the current one, at the end of its grace window ({@code
   * c.current()} is the new value by then); by default there is nothing to do beyond sealing it.
   */
  default void retire(Context c) {}
}
