package io.secretsapi.access;

import java.time.Instant;

/** A control-plane identity: the owner of API keys and of the secrets it stores. */
public record ServiceAccount(String id, String name, String description, Instant createdAt) {}
