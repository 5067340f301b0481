package io.secretsapi.events;

import io.secretsapi.audit.AuditEvent;
import io.secretsapi.secret.Secret;
import io.secretsapi.secret.Vault;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Which audit events a reader may see, for the event stream and webhooks alike: {@code admin} sees
 * every event; any other reader the events it acted in or was the subject of, and the events of
 * secrets its account owns (looked up once per secret per reader).
 */
public final class EventAccess {
  private EventAccess() {}

  /** The events visible to {@code principal} of {@code accountId}; not thread-safe (per reader). */
  public static Predicate<AuditEvent> visibleTo(
      String principal, String accountId, boolean admin, Vault vault) {
    if (admin) {
      return e -> true;
    }
    Map<String, Boolean> owned = new HashMap<>();
    return e ->
        e.involves(principal)
            || e.secretId()
                .map(
                    id ->
                        owned.computeIfAbsent(
                            id,
                            x ->
                                vault
                                    .find(x)
                                    .map(Secret::accountId)
                                    .filter(accountId::equals)
                                    .isPresent()))
                .orElse(false);
  }
}
