package io.secretsapi.token;

import io.secretsapi.SecretsApiException;
import java.util.Optional;

/**
 * A presented token is not one the broker can accept: malformed, badly signed, for another
 * audience, expired, not yet valid, revoked. The reason is specific but never echoes the token.
 *
 * <p>A token this broker signed that is refused only for its time or a revocation is genuine: it
 * names a subject, a secret and a grant, and the use that was refused is recorded under them
 * ({@link #genuine()}, {@link #auditRef()}): a revoked token still in use is what an operator looks
 * for. A token that does not verify names nobody; the HTTP layer records the refused request as
 * such.
 */
public final class InvalidTokenException extends SecretsApiException {
  private static final long serialVersionUID = 1L;
  private final transient VerifiedToken genuine;
  private final String auditRef;

  public InvalidTokenException(String reason) {
    this(reason, null, null);
  }

  InvalidTokenException(String reason, VerifiedToken genuine, String auditRef) {
    super("invalid-token", reason);
    this.genuine = genuine;
    this.auditRef = auditRef;
  }

  /** The token as this broker signed it, when it was refused only for its time or a revocation. */
  public Optional<VerifiedToken> genuine() {
    return Optional.ofNullable(genuine);
  }

  /** The record of the refused use, when it was recorded. */
  public Optional<String> auditRef() {
    return Optional.ofNullable(auditRef);
  }
}
