package io.secretsapi.server.console;

import io.javalin.http.Context;
import io.secretsapi.access.Caller;
import io.secretsapi.access.Scope;
import io.secretsapi.audit.AuditEvent;
import io.secretsapi.events.EventAccess;
import io.secretsapi.secret.Vault;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/**
 * The live stream's filters as its form sends them: {@code secret_id} and {@code principal}, as
 * {@code GET /access/events} takes them; empty text means any.
 */
record EventFilter(String secretId, String principal) {

  static EventFilter of(Context ctx) {
    return new EventFilter(QueryParams.text(ctx, "secret_id"), QueryParams.text(ctx, "principal"));
  }

  static EventFilter none() {
    return new EventFilter("", "");
  }

  /**
   * The events of this filter that {@code caller} may see: the rule of {@code GET /access/events}
   * ({@link EventAccess}). Not thread-safe: one per reader.
   */
  Predicate<AuditEvent> wanted(Caller caller, Vault vault) {
    Predicate<AuditEvent> p = e -> true;
    if (!secretId.isEmpty()) {
      p = p.and(e -> e.secretId().filter(secretId::equals).isPresent());
    }
    if (!principal.isEmpty()) {
      p = p.and(e -> e.involves(principal));
    }
    return p.and(
        EventAccess.visibleTo(
            caller.principal(), caller.serviceAccountId(), caller.has(Scope.ADMIN), vault));
  }

  /** The stream's address for this filter, resuming after {@code after}. */
  String streamUrl(long after) {
    StringBuilder b = new StringBuilder(EventsScreen.STREAM).append("?after=").append(after);
    if (!secretId.isEmpty()) {
      b.append("&secret_id=").append(URLEncoder.encode(secretId, StandardCharsets.UTF_8));
    }
    if (!principal.isEmpty()) {
      b.append("&principal=").append(URLEncoder.encode(principal, StandardCharsets.UTF_8));
    }
    return b.toString();
  }

  boolean any() {
    return secretId.isEmpty() && principal.isEmpty();
  }
}
