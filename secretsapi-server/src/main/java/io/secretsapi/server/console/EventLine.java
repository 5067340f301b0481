package io.secretsapi.server.console;

import io.secretsapi.audit.AuditEvent;
import io.secretsapi.audit.AuditLog;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One line of the live event stream (screen 3), made from one audit event: its time, the word the
 * source documents use for its family ({@code access}, {@code issue}, {@code block}, {@code
 * rotate}, {@code revoke}, {@code policy}) and the record's own ids. Audit records never hold a
 * secret value, and nothing else is read.
 *
 * @param auditRef the record's reference, such as {@code AU-94182}; its offset is the event's id
 * @param word the source documents' word for the family
 * @param route for a record of a request, its method and route, such as {@code GET /console}
 * @param traceable whether the reader may open the token's lineage (a link is shown)
 */
record EventLine(
    long offset,
    String auditRef,
    String time,
    String iso,
    String word,
    String family,
    String type,
    String decision,
    String actor,
    Optional<String> subject,
    Optional<String> secretId,
    Optional<String> tokenId,
    Optional<String> scope,
    Optional<String> route,
    String reason,
    boolean traceable) {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Map<String, String> WORDS =
      Map.of(
          "access", "access",
          "grant", "issue",
          "refusal", "block",
          "rotation", "rotate",
          "revocation", "revoke",
          "policy", "policy");
  private static final int REASON_MAX = 160;

  static EventLine of(AuditEvent e, Instant now, boolean traceable) {
    JsonNode r = JSON.readTree(e.record());
    Instant at = Instant.parse(text(r, "time").orElse(now.toString()));
    String reason = text(r, "reason").orElse("");
    if (reason.length() > REASON_MAX) {
      reason = reason.substring(0, REASON_MAX) + "…";
    }
    return new EventLine(
        e.offset(),
        AuditLog.ref(e.offset()),
        Times.utc(at, now),
        Times.iso(at),
        WORDS.getOrDefault(e.family(), e.family()),
        e.family(),
        e.type(),
        text(r, "decision").orElse(""),
        e.actor(),
        e.subject(),
        e.secretId(),
        text(r, "token_id"),
        text(r, "scope"),
        text(r, "route"),
        reason,
        traceable);
  }

  private static Optional<String> text(JsonNode r, String field) {
    JsonNode v = r.get(field);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asString());
  }
}
