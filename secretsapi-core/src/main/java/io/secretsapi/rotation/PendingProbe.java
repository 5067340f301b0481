package io.secretsapi.rotation;

import io.secretsapi.secret.Secret;
import java.util.Optional;

/**
 * The validation probe of a pending value, before it is promoted: the same harmless read the
 * secret's validation runs ({@code secret/Validation}), with the pending value in place of the
 * current one. Implementations are thread-safe and never put the value in what they answer.
 */
public interface PendingProbe {
  /**
   * Probes {@code secret}'s provider with {@code pending}.
   *
   * @return empty when the provider accepted the value, or there is nothing to probe; otherwise why
   *     the value failed (a lowercase fact without the value)
   */
  Optional<String> check(Secret secret, String pending);
}
