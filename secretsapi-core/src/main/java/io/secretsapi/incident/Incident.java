package io.secretsapi.incident;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An incident ({@code IN-}): the containment of one compromised secret, with its playbook's
 * timeline, its progress, and what it affected.
 *
 * @param state {@code open} (the secret is blocked on every node) or {@code closed}
 * @param throughVersion the last version of the secret the incident contains: grants of it and
 *     before are refused while the incident is open
 * @param containment percent of the playbook done: each of the seven steps counts one seventh, step
 *     7 by the share of principals re-authenticated
 * @param propagationMillis from the incident's opening to the end of its last step that ran
 * @param replacements the replacement grants, with their tokens, only in the answer that opened the
 *     incident (shown once, as an API key is); empty when read again
 */
public record Incident(
    String id,
    String secretId,
    Optional<String> tokenId,
    String reason,
    String state,
    int throughVersion,
    String openedBy,
    Instant openedAt,
    Optional<String> closedBy,
    Optional<Instant> closedAt,
    Optional<String> closeNote,
    int containment,
    long propagationMillis,
    List<Step> timeline,
    List<Affected> affected,
    Derivatives derivatives,
    List<Replaced> replacements) {

  /** The seven steps of the playbook, by number, as the documents name them. */
  public static final List<String> STEPS =
      List.of(
          "credential revoked",
          "downstream services blocked",
          "dependent sessions terminated",
          "policy escalation triggered",
          "audit replay activated",
          "replacement token issued",
          "services re-authenticated");

  /**
   * One step of the playbook as it ran.
   *
   * @param state {@code done}, {@code pending} (waits on something outside the broker, said in
   *     {@code detail}), {@code tracking} (step 7 until every principal has re-authenticated) or
   *     {@code failed} (with the reason; the other steps still ran)
   * @param count what the step counts: grants revoked, upstreams blocked, sessions cut, policy
   *     version, records verified, replacements issued, principals re-authenticated
   * @param atMillis when it started, from the incident's opening ({@code t+0.42s})
   * @param tookMillis how long it took
   */
  public record Step(
      int step,
      String name,
      String state,
      String detail,
      long count,
      long atMillis,
      long tookMillis,
      Optional<String> auditRef) {
    /** This step naming the audit record that holds it. */
    public Step withAuditRef(String ref) {
      return new Step(step, name, state, detail, count, atMillis, tookMillis, Optional.of(ref));
    }
  }

  /**
   * One upstream or principal the incident affected.
   *
   * @param kind {@code upstream} or {@code principal}
   * @param state an upstream: {@code blocked} while open, {@code restored} once closed; a
   *     principal: {@code revoked} (no replacement), {@code pending} (replacement issued, not used
   *     yet) or {@code re-auth} (has used its replacement)
   */
  public record Affected(
      String kind, String name, String state, long grantsRevoked, Optional<String> replacementId) {}

  /** Derived grants (depth above 0) the incident revoked, and how many still verify (none). */
  public record Derivatives(long revoked, long pending) {}

  /** A replacement grant issued to a principal, with its token (shown once). */
  public record Replaced(
      String principal, String scope, String tokenId, String token, long expiresIn) {
    @Override
    public String toString() {
      return "Replaced[" + principal + ", " + scope + ", " + tokenId + "]"; // never the token
    }
  }
}
