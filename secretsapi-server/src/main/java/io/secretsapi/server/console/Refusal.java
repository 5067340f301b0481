package io.secretsapi.server.console;

import io.secretsapi.ConflictException;
import io.secretsapi.NotFoundException;
import io.secretsapi.SecretsApiException;
import io.secretsapi.ValidationException;
import io.secretsapi.access.AuthenticationException;
import io.secretsapi.access.PermissionDeniedException;
import io.secretsapi.secret.SecretSealedException;
import io.secretsapi.storage.StoreUnavailableException;
import java.util.Optional;

/**
 * A console request that was refused: the status, the message shown to the operator and the field
 * at fault. Made from the broker's own exceptions, whose messages never hold a secret value.
 */
record Refusal(int status, String message, Optional<String> field) {

  static Refusal of(Exception e) {
    if (e instanceof ValidationException v) {
      return new Refusal(400, v.getMessage(), Optional.of(v.field()));
    } else if (e instanceof PermissionDeniedException) {
      return new Refusal(403, e.getMessage(), Optional.empty());
    } else if (e instanceof AuthenticationException) {
      return new Refusal(401, "the session's api key is no longer valid", Optional.empty());
    } else if (e instanceof NotFoundException) {
      return new Refusal(404, e.getMessage(), Optional.empty());
    } else if (e instanceof StoreUnavailableException) {
      return new Refusal(503, "the store is unavailable; nothing was changed", Optional.empty());
    } else if (e instanceof ConflictException c) {
      return new Refusal(409, e.getMessage(), Optional.ofNullable(c.field()));
    } else if (e instanceof SecretSealedException) {
      return new Refusal(409, e.getMessage(), Optional.empty());
    } else if (e instanceof io.secretsapi.policy.PolicyDeniedException) {
      return new Refusal(403, e.getMessage(), Optional.empty()); // as the API answers it
    } else if (e instanceof io.secretsapi.approval.ApprovalRefusedException a) {
      return new Refusal(
          403,
          e.getMessage()
              + " (rule "
              + a.rule()
              + ")"
              + a.auditRef().map(r -> " · recorded " + r).orElse(""),
          Optional.of(a.field())); // as the API answers it
    } else if (e instanceof SecretsApiException) {
      return new Refusal(400, e.getMessage(), Optional.empty());
    }
    return new Refusal(500, "the broker failed to serve this page; see its log", Optional.empty());
  }

  static Refusal csrf() {
    return new Refusal(
        403, "the form's CSRF token is missing or wrong: reload the page", Optional.of("_csrf"));
  }
}
