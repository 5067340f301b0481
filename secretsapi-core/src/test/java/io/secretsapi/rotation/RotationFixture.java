package io.secretsapi.rotation;

import io.secretsapi.BrokerCore;
import io.secretsapi.secret.NewSecret;
import io.secretsapi.secret.Secret;
import io.secretsapi.testing.Broker;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Builds rotation engines over a test broker's core, as the server wires them. */
final class RotationFixture {
  private RotationFixture() {}

  /** The engine over {@code core}, allowing loopback endpoints, with a short webhook backoff. */
  static RotationService engine(BrokerCore core, Broker b) {
    return new RotationService(
        core.db(),
        core.vault(),
        core.cleartext(),
        core.audit(),
        core.leadership(),
        b.clock(),
        true,
        Duration.ofMillis(10));
  }

  static Secret secret(Broker b, String name, String kind, String value) {
    return b.vault()
        .create(
            b.root(),
            new NewSecret(
                name,
                "internal",
                "model-access",
                "production",
                "AI Platform",
                List.of(),
                value,
                kind));
  }

  static RotationSettings.Input generated(int length, String alphabet, String grace) {
    return new RotationSettings.Input(
        "generated", grace, null, length, alphabet, null, null, null, null, null);
  }

  static RotationSettings.Input webhook(String url, String timeout) {
    return new RotationSettings.Input(
        "webhook", "10m", null, null, null, url, timeout, null, null, null);
  }

  /**
   * The types of the audit records of {@code secretId} that start with {@code prefix}, in order.
   */
  static List<String> trail(Broker b, String secretId, String prefix) {
    return b.db()
        .read(
            h ->
                h.createQuery(
                        "SELECT type FROM audit_records WHERE secret_id = :s AND type LIKE :p"
                            + " ORDER BY audit_offset")
                    .bind("s", secretId)
                    .bind("p", prefix + "%")
                    .mapTo(String.class)
                    .list());
  }

  static Optional<String> none() {
    return Optional.empty();
  }
}
