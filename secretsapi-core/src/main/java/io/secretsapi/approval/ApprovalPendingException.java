package io.secretsapi.approval;

import io.secretsapi.SecretsApiException;

/**
 * Not an error: the issue request waits for a person. The API answers {@code 202} with the
 * approval's id and expiry.
 */
public final class ApprovalPendingException extends SecretsApiException {
  private static final long serialVersionUID = 1L;
  private final transient Approval approval;

  public ApprovalPendingException(Approval approval) {
    super("approval-pending", "approval " + approval.id() + " is pending");
    this.approval = approval;
  }

  public Approval approval() {
    return approval;
  }
}
