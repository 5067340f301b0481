package io.secretsapi.access;

import io.secretsapi.SecretsApiException;
import java.util.Optional;

/** The caller authenticated but lacks the scope the operation needs. */
public final class PermissionDeniedException extends SecretsApiException {
  private static final long serialVersionUID = 1L;
  private final transient Scope scope;

  public PermissionDeniedException(Scope scope) {
    super(
        "permission-denied",
        "this operation needs the scope " + scope.wire() + ", which the api key lacks");
    this.scope = scope;
  }

  public PermissionDeniedException(String message) {
    super("permission-denied", message);
    this.scope = null;
  }

  /** The scope that was missing, when one scope would have sufficed. */
  public Optional<Scope> scope() {
    return Optional.ofNullable(scope);
  }
}
