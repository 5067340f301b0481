package io.secretsapi.rotation;

import io.secretsapi.ValidationException;
import java.util.Locale;

/**
 * Where a rotation stands. The path is {@code queued -> pending -> validated -> promoted ->
 * previous -> sealed}; {@code failed} ends it from any state before {@code promoted}, with the old
 * value still current. Each move is one transaction with its audit record.
 */
public enum RotationState {
  /** Waiting for the leader to make the new value. */
  QUEUED,
  /** The new value is stored as a {@code pending} version, not yet served. */
  PENDING,
  /** The pending value passed its checks (the rotator's own, and the validation probe). */
  VALIDATED,
  /** The new value is current. */
  PROMOTED,
  /** The old value is readable as {@code previous} until the grace window ends. */
  PREVIOUS,
  /** The old value is sealed, and the rotator retired it (the end). */
  SEALED,
  /** The rotation ended without replacing the value: the old value stays current. */
  FAILED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True once nothing more will happen to the rotation. */
  public boolean finished() {
    return this == SEALED || this == FAILED;
  }

  /** True while the rotation is still making its new value (before promotion). */
  public boolean inFlight() {
    return this == QUEUED || this == PENDING || this == VALIDATED;
  }

  public static RotationState parse(String field, String text) {
    for (RotationState s : values()) {
      if (s.wire().equals(text)) {
        return s;
      }
    }
    throw new ValidationException(
        field,
        "enum",
        field + " must be queued, pending, validated, promoted, previous, sealed or failed");
  }
}
