package io.secretsapi.server.console;

import java.util.List;
import java.util.Optional;

/**
 * The pending approvals screen (screen {@code approvals}): the {@code apr_} approvals of {@code GET
 * /approvals} the key may see, pending first, then decided, newest first; and one approval with its
 * {@code approval.*} audit records and, for an approver the rule names, the forms that decide it.
 * Holds no value and no token: an approval has neither.
 *
 * @param state the state filter, empty for any
 * @param states the states the filter offers
 * @param showing such as {@code showing 4 · 1 pending}
 * @param self the list's own address with its filter, which the page polls for changes
 */
record ApprovalsPage(
    Frame frame,
    String state,
    List<String> states,
    List<Row> rows,
    String showing,
    String self,
    Optional<Detail> detail) {

  /**
   * One approval as a row of the list.
   *
   * @param account the requester's service account ({@code sa_})
   * @param subject the principal the token would be for, when it is not the requester; else empty
   * @param policy such as {@code AGENTS v1 · agents-need-a-person}
   * @param policyId the policy set's id, for the link to the policies screen
   * @param approvers such as {@code oncall-lead, sa:sa_k2x9}
   * @param expires such as {@code in 12m}, or {@code 3m ago} once past; empty once denied or issued
   * @param decidedBy who decided, empty while undecided
   * @param reason the decider's reason, empty while undecided
   */
  record Row(
      String id,
      String requester,
      String account,
      String subject,
      String secretId,
      String scope,
      String ttl,
      String environment,
      String policy,
      String policyId,
      String approvers,
      String state,
      String requested,
      String requestedIso,
      String expires,
      String expiresIso,
      String decidedBy,
      String reason) {}

  /**
   * One approval's page.
   *
   * @param canDecide whether the Approve and Deny forms are shown: pending, the key holds {@code
   *     policies:write}, its account is one the rule names and not the requester's
   * @param why why no forms are shown for a pending approval, empty otherwise
   * @param policyLink whether the key may open the policies screen (the rule becomes a link)
   * @param decided when it was decided, empty while undecided
   * @param tokenId the token it issued, for an {@code issued} approval; empty otherwise
   * @param stepsReadable whether the key may read the audit trail ({@code audit:read})
   */
  record Detail(
      Row row,
      String operations,
      boolean canDecide,
      String why,
      boolean policyLink,
      String decided,
      String decidedIso,
      String tokenId,
      List<Step> steps,
      boolean stepsReadable) {}

  /**
   * One {@code approval.*} audit record of the approval.
   *
   * @param auditRef such as {@code AU-94182}, linking to the record on the audit screen
   * @param step the record's type without {@code approval.}, such as {@code approve}
   * @param decision the record's decision: {@code done}, {@code allow}, or {@code deny} for a
   *     refused step
   */
  record Step(
      String auditRef,
      long offset,
      String time,
      String iso,
      String step,
      String decision,
      String actor,
      String reason) {}
}
