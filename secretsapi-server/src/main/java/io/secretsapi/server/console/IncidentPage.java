package io.secretsapi.server.console;

import java.util.List;

/**
 * One incident in the source documents' shape ("Containment, propagated"): the header figures, the
 * containment bar, the affected services with their states, and the playbook's timeline, each step
 * with its time from the opening and its audit record. On the page that answers the form that
 * opened it, and only there, the replacement grants' tokens.
 *
 * @param derivatives such as {@code 3}: derived grants revoked plus those still verifying
 * @param isolated affected services blocked or revoked
 * @param replay the audit reference of the replay step, empty when it has none
 * @param propagation such as {@code 7 hops · 4.2s}
 * @param auditLinks whether the key may open the audit screen (the references become links)
 * @param canClose whether the key may close it (open, and {@code tokens:revoke} + {@code
 *     policies:write})
 */
record IncidentPage(
    Frame frame,
    String id,
    String secretId,
    String tokenId,
    String reason,
    String state,
    int throughVersion,
    String openedBy,
    String opened,
    String openedIso,
    String closedBy,
    String closed,
    String closeNote,
    int containment,
    long affectedCount,
    long isolated,
    long derivatives,
    long derivativesRevoked,
    long derivativesPending,
    String replay,
    String propagation,
    List<Step> timeline,
    List<Affected> affected,
    List<Replacement> replacements,
    boolean auditLinks,
    boolean canClose) {

  /**
   * One step of the playbook.
   *
   * @param number such as {@code 01}
   * @param at such as {@code t+0.42s}
   * @param took such as {@code 12 ms}
   * @param offset the offset of its audit record, 0 when it has none
   */
  record Step(
      String number,
      String name,
      String state,
      String detail,
      String at,
      String took,
      String auditRef,
      long offset) {}

  /**
   * One affected upstream or principal.
   *
   * @param what such as {@code upstream} or {@code principal · 2 grants revoked · replacement
   *     tok_1}
   */
  record Affected(String name, String kind, String what, String state) {}

  /** A replacement grant, with its token: shown once, on the page that answers the form. */
  record Replacement(String principal, String scope, String tokenId, String token, long expiresIn) {
    @Override
    public String toString() {
      return "Replacement[" + principal + ", " + scope + ", " + tokenId + "]"; // never the token
    }
  }
}
