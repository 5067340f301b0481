package io.secretsapi.token;

import io.secretsapi.Required;

/**
 * {@code POST /tokens/issue}: one scope of one secret, for one principal, for a while.
 *
 * @param requestedBy the principal the token is for; another principal than the caller's needs a
 *     {@code delegate} right in policy, and is recorded as subject with the caller as actor
 * @param attestation a workload identity JWT, optional
 * @param approvalId asking again after a person approved: the approval's id ({@code apr_}), with
 *     the same body as the first ask (design 0030)
 */
public record IssueRequest(
    @Required String secretId,
    @Required String scope,
    @Required String ttl,
    String requestedBy,
    String environment,
    String attestation,
    String approvalId) {
  /** A request without an approval id. */
  public IssueRequest(
      String secretId,
      String scope,
      String ttl,
      String requestedBy,
      String environment,
      String attestation) {
    this(secretId, scope, ttl, requestedBy, environment, attestation, null);
  }

  @Override
  public String toString() {
    return "IssueRequest[" + secretId + ", " + scope + ", " + ttl + "]";
  }
}
