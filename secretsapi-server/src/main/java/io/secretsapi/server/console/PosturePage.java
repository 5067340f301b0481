package io.secretsapi.server.console;

import java.util.List;
import java.util.Optional;

/**
 * Credential posture (screen 8): each credential's provider, scope, status, next rotation and last
 * validation, as the broker records them (validation probes, version times and the configured
 * rotation period), and the selected credential's detail, masked.
 *
 * @param rotationPeriod the configured period, such as {@code 90d}
 * @param canValidate whether the key may do what {@code POST /secrets/{id}/validate} does
 */
record PosturePage(
    Frame frame,
    List<Row> rows,
    String showing,
    Optional<Detail> selected,
    String rotationPeriod,
    boolean canValidate) {

  /**
   * One credential.
   *
   * @param status {@code Healthy}, {@code Rotation due}, {@code Validation failed} or {@code Not
   *     validated}
   * @param validation such as {@code Validated 2h ago}, {@code Validation failed 18m ago} or {@code
   *     never validated}
   */
  record Row(
      String id,
      String name,
      String environment,
      String provider,
      String scope,
      String status,
      String nextRotation,
      String nextRotationIso,
      String validation,
      boolean selected) {}

  /**
   * The selected credential: masked value and fingerprint (reveal disabled), and what its last
   * validation found.
   *
   * @param reason the probe's own words, such as {@code the provider refused the key (HTTP 401)}
   * @param target what the probe reads: the provider's preset or the secret's validation endpoint
   * @param schedule such as {@code on demand} or {@code every 1h · next 14:32:11 UTC}
   */
  record Detail(
      String id,
      String name,
      String provider,
      String scope,
      String environment,
      String owner,
      String status,
      String masked,
      String fingerprint,
      int version,
      String versionSince,
      String nextRotation,
      String validation,
      String reason,
      String target,
      String schedule) {}
}
