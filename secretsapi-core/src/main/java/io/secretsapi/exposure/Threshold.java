package io.secretsapi.exposure;

import static java.util.Objects.requireNonNull;

import io.secretsapi.ValidationException;
import java.util.List;

/**
 * A threshold set on a secret, a resource class or a policy: a secret whose score reaches it asks
 * for {@code action} once, until its score falls {@link #REARM} below it again.
 *
 * @param targetKind {@code secret}, {@code resource_class} or {@code policy}
 * @param target the secret id, the resource class or the policy id
 * @param action {@code rotate} (queue a rotation) or {@code incident} (raise one)
 */
public record Threshold(String targetKind, String target, double threshold, String action) {
  public static final List<String> KINDS = List.of("secret", "resource_class", "policy");
  public static final List<String> ACTIONS = List.of("rotate", "incident");

  /** How far below its threshold a score must fall before the next crossing counts. */
  public static final double REARM = 0.1;

  public Threshold {
    requireNonNull(targetKind, "targetKind");
    requireNonNull(target, "target");
    requireNonNull(action, "action");
    if (!KINDS.contains(targetKind)) {
      throw new ValidationException(
          "target_kind", "enum", "target_kind must be secret, resource_class or policy");
    }
    if (target.isBlank() || target.length() > 128) {
      throw new ValidationException("target", "length", "target must be 1 to 128 characters");
    }
    check("threshold", threshold);
    checkAction("action", action);
  }

  static void check(String field, double v) {
    if (!(v > 0 && v <= 1)) {
      throw new ValidationException(field, "range", field + " must be above 0 and at most 1");
    }
  }

  static void checkAction(String field, String action) {
    if (!ACTIONS.contains(action)) {
      throw new ValidationException(field, "enum", field + " must be rotate or incident");
    }
  }
}
