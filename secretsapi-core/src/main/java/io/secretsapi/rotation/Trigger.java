package io.secretsapi.rotation;

import io.secretsapi.ValidationException;
import java.util.Locale;

/** What asked for a rotation: its {@code trigger} in the queue and in the audit trail. */
public enum Trigger {
  /** An operator, through {@code POST /rotations} or {@code POST /secrets/{id}/rotate}. */
  OPERATOR,
  /** The secret's own schedule ({@code every} in its rotation settings). */
  SCHEDULE,
  /** An exposure score that crossed its threshold. */
  EXPOSURE,
  /** An incident's replacement step. */
  INCIDENT;

  /** The name on the wire, such as {@code operator}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The trigger named {@code text}; names {@code field} when it is none. */
  public static Trigger parse(String field, String text) {
    for (Trigger t : values()) {
      if (t.wire().equals(text)) {
        return t;
      }
    }
    throw new ValidationException(
        field, "enum", field + " must be operator, schedule, exposure or incident");
  }
}
