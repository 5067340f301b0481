package io.secretsapi.token;

import io.secretsapi.policy.Decision;

/** A token just made: the grant, the signed token, the audit record and the deciding rule. */
public record IssuedToken(Grant grant, String token, String auditRef, Decision decision) {
  @Override
  public String toString() {
    return "IssuedToken[" + grant.id() + ", token=<redacted>]";
  }
}
