package io.secretsapi.incident;

/**
 * A request to open an incident: the compromised secret, or a token whose secret is compromised
 * (exactly one), and why.
 *
 * @param secretId the compromised secret, or null when {@code tokenId} names it
 * @param tokenId a grant of the compromised secret, or null when {@code secretId} is given
 * @param reason what happened, in free text (never a value: it is redacted like all free text)
 */
public record NewIncident(String secretId, String tokenId, String reason) {}
