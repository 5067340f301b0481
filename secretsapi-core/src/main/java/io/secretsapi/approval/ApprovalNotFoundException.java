package io.secretsapi.approval;

import io.secretsapi.NotFoundException;

/** No approval with this id, or none the caller may see. */
public final class ApprovalNotFoundException extends NotFoundException {
  private static final long serialVersionUID = 1L;

  ApprovalNotFoundException(String id) {
    super("approval", id == null || id.length() > 40 ? "(malformed id)" : id);
  }
}
