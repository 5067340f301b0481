package io.secretsapi.approval;

import io.secretsapi.SecretsApiException;
import java.util.Optional;

/**
 * An approval step was refused ({@code 403}): a token asked on a denied, expired or spent approval,
 * a self-approval, or a decision by someone who is not an approver. Names the field and rule, and
 * the audit record of the refusal when one was written.
 */
public final class ApprovalRefusedException extends SecretsApiException {
  private static final long serialVersionUID = 1L;
  private final String field;
  private final String rule;
  private final String auditRef;

  public ApprovalRefusedException(String field, String rule, String message, String auditRef) {
    super("approval-refused", message);
    this.field = field;
    this.rule = rule;
    this.auditRef = auditRef;
  }

  public String field() {
    return field;
  }

  public String rule() {
    return rule;
  }

  public Optional<String> auditRef() {
    return Optional.ofNullable(auditRef);
  }
}
