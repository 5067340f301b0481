package io.secretsapi.token;

/** {@code POST /access/revoke}: exactly one target. {@code cascade} applies to a token. */
public record RevokeRequest(
    String tokenId,
    Boolean cascade,
    String secretId,
    String principal,
    String apiKeyId,
    String reason) {}
