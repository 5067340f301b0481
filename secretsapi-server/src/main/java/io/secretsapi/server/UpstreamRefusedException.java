package io.secretsapi.server;

import io.secretsapi.SecretsApiException;

/** The proxy refused to complete a call after granting it: a blocked address, a redirect. */
final class UpstreamRefusedException extends SecretsApiException {
  private final String auditRef;

  UpstreamRefusedException(String message, String auditRef) {
    super("upstream-refused", message);
    this.auditRef = auditRef;
  }

  String auditRef() {
    return auditRef;
  }
}
