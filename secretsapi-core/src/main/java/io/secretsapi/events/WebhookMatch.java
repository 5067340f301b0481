package io.secretsapi.events;

import io.secretsapi.audit.AuditEvent;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which events one webhook takes: the one matcher the dispatcher asks (design 0034). An event is
 * taken when its reader may see it ({@link EventAccess}) and either the webhook's filter selects it
 * (a family or a record type) or it is a rotation record that names an engine which names this
 * webhook to notify (an engine's {@code webhook_id}). One event is taken once, however many of its
 * engines name the webhook. Not thread-safe (one per delivery pass).
 */
final class WebhookMatch implements Predicate<AuditEvent> {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final Webhook webhook;
  private final Predicate<AuditEvent> visible;
  private final Supplier<Set<String>> notifying;
  private Set<String> engines; // the engines naming the webhook, read once, when first needed

  /**
   * @param notifying the engines that name the webhook, read only when an event names engines
   */
  WebhookMatch(Webhook webhook, Predicate<AuditEvent> visible, Supplier<Set<String>> notifying) {
    this.webhook = webhook;
    this.visible = visible;
    this.notifying = notifying;
  }

  @Override
  public boolean test(AuditEvent e) {
    return (webhook.events().stream().anyMatch(e::is) || notifies(e)) && visible.test(e);
  }

  private boolean notifies(AuditEvent e) {
    if (!"rotation".equals(e.family())) {
      return false;
    }
    List<String> named = engines(e);
    if (named.isEmpty()) {
      return false;
    }
    if (engines == null) {
      engines = notifying.get();
    }
    return named.stream().anyMatch(engines::contains);
  }

  /** The engines a record names in its {@code details}; empty for most, without parsing. */
  static List<String> engines(AuditEvent e) {
    if (!e.record().contains("\"engines\":[\"")) {
      return List.of();
    }
    JsonNode named = JSON.readTree(e.record()).path("details").path("engines");
    List<String> out = new java.util.ArrayList<>();
    for (JsonNode n : named) {
      out.add(n.asString());
    }
    return out;
  }
}
