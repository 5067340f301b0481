package io.secretsapi.pkg;

import io.secretsapi.Required;

/** What an operator sends to create an engine ({@code POST /engines}). */
public record NewEngine(
    @Required String name,
    String plan,
    String placement,
    Integer slotsUsed,
    Integer slotsTotal,
    String frontendState,
    String adminState,
    String release,
    @Required String serviceAccountId) {}
