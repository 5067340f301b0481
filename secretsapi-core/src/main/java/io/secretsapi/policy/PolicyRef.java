package io.secretsapi.policy;

/** Which policy set, version and rule made a decision. */
public record PolicyRef(String id, int version, String rule) {
  /** The policy ref used when no rule matched: refusal by default. */
  public static final PolicyRef DEFAULT_DENY = new PolicyRef("default", 0, "default-deny");
}
