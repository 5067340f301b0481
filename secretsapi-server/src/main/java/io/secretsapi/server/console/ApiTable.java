package io.secretsapi.server.console;

import io.javalin.http.Context;
import io.secretsapi.access.Scope;
import java.util.Optional;

/**
 * What the console borrows from the API layer, so that it has no permission model or request
 * handling of its own: the scope each API endpoint needs (from the same route table that guards the
 * API), the request id the API's first handler gave the request, and the test for text that holds a
 * stored secret. The server implements it.
 */
public interface ApiTable {
  /**
   * The scope the API endpoint {@code endpoint} (such as {@code POST /secrets}) needs; empty when
   * any valid key may call it.
   *
   * @throws IllegalArgumentException when the route table has no such endpoint
   */
  Optional<Scope> scopeOf(String endpoint);

  /** The id the broker keeps for this request in its log and audit records. */
  String requestId(Context ctx);

  /** True when {@code text} holds a stored secret's value, an API key's secret or a credential. */
  boolean holdsSecret(String text);

  /**
   * Probes the provider with a secret's stored key now, as {@code POST /secrets/{id}/validate} does
   * (the same validator, policy gate and audit record), and keeps the result.
   */
  io.secretsapi.secret.Validation validate(
      io.secretsapi.access.Caller caller, String secretId, String requestId);

  /** The configured rotation period ({@code validation.rotation_period}). */
  java.time.Duration rotationPeriod();
}
