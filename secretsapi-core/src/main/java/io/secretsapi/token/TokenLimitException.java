package io.secretsapi.token;

import io.secretsapi.SecretsApiException;

/** A valid token asked for more than it may: an operation it lacks, or uses or amount spent. */
public final class TokenLimitException extends SecretsApiException {
  private static final long serialVersionUID = 1L;
  private final String auditRef;

  public TokenLimitException(String message, String auditRef) {
    super("token-limit", message);
    this.auditRef = auditRef;
  }

  public java.util.Optional<String> auditRef() {
    return java.util.Optional.ofNullable(auditRef);
  }
}
