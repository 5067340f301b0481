package io.secretsapi.token;

/** What a revocation did: its kind and target, how many active grants it ended, its sequence. */
public record Revocation(String kind, String target, int revoked, long sequence, String auditRef) {}
