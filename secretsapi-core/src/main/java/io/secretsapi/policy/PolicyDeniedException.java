package io.secretsapi.policy;

import io.secretsapi.SecretsApiException;
import java.util.Optional;

/** The policy gate refused; names the policy, version and rule, and the audit record. */
public final class PolicyDeniedException extends SecretsApiException {
  private static final long serialVersionUID = 1L;
  private final transient PolicyRef ref;
  private final String auditRef;

  public PolicyDeniedException(PolicyRef ref, String reason, String auditRef) {
    super("policy-denied", reason);
    this.ref = ref;
    this.auditRef = auditRef;
  }

  public PolicyRef ref() {
    return ref;
  }

  /** The audit record of the refusal, such as {@code AU-1182}. */
  public Optional<String> auditRef() {
    return Optional.ofNullable(auditRef);
  }
}
