package io.secretsapi.pkg;

import java.util.List;

/**
 * The readiness of a package, computed on read: {@code Ready} when every bundled secret is active
 * and its latest validation passed and is not stale; {@code Review} otherwise, with one reason per
 * secret that holds it back.
 */
public record Posture(String state, List<Reason> reasons) {
  public static final String READY = "Ready";
  public static final String REVIEW = "Review";

  /** Why one secret holds the package in review. */
  public record Reason(String secretId, String why) {}
}
