package io.secretsapi.incident;

import static java.util.Objects.requireNonNull;

import io.secretsapi.access.Caller;
import io.secretsapi.secret.Rotation;
import io.secretsapi.secret.Secret;
import io.secretsapi.secret.Vault;
import java.time.Duration;
import java.util.Optional;

/**
 * Replacement by the vault's own rotation: a {@code generated} secret gets a new value at once, and
 * the contained one is sealed with no grace window (a leaked value must not stay readable). A
 * {@code static} secret's value only its owner can make: that is pending.
 */
public final class GeneratedReplacement implements Replacement {
  private final Vault vault;

  public GeneratedReplacement(Vault vault) {
    this.vault = requireNonNull(vault, "vault");
  }

  @Override
  public Outcome replace(Caller caller, Secret secret, String incidentId) {
    if (!secret.kind().equals("generated")) {
      return Outcome.pending(
          "secret "
              + secret.id()
              + " is "
              + secret.kind()
              + ": the broker cannot make its value; rotate it with the provider's new value"
              + " (POST /secrets/{id}/rotate), then close the incident");
    }
    Rotation r = vault.rotate(caller, secret.id(), Optional.empty(), Optional.of(Duration.ZERO));
    return Outcome.replaced(
        r.version(),
        "version "
            + r.previousVersion().map(String::valueOf).orElse("?")
            + " -> "
            + r.version()
            + ", no grace");
  }
}
