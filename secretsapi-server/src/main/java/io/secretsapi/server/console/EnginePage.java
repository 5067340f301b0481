package io.secretsapi.server.console;

import java.util.List;
import java.util.Optional;

/**
 * An engine's credential vault: the engine's line, one row per secret and scope its bound packages
 * give it, and the selected row's detail with workflow notes derived from the broker's state.
 * Masked values and fingerprints only.
 */
record EnginePage(
    Frame frame,
    String id,
    String name,
    String plan,
    String placement,
    String release,
    List<Row> rows,
    Optional<Detail> selected) {

  /**
   * One credential.
   *
   * @param status {@code Healthy}, {@code Rotation due}, {@code Validation failed}, {@code Not
   *     validated}, {@code Validation stale} or the secret's own status
   * @param link this screen with the row selected
   */
  record Row(
      String secretId,
      String name,
      String engine,
      String provider,
      String scope,
      String status,
      String nextRotation,
      String validation,
      boolean selected,
      String link) {}

  /** The selected credential: what the vault shows of it, never its value. */
  record Detail(
      String secretId,
      String name,
      String provider,
      String scope,
      String status,
      String validated,
      String nextRotation,
      String masked,
      String fingerprint,
      String created,
      String packages,
      List<Note> notes) {}

  /** A workflow note: what holds now, and what it means for the operator. */
  record Note(String number, String title, String detail, String next) {}
}
