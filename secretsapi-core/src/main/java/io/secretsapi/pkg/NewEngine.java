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
    @Required String serviceAccountId,
    String webhookId) {

  /** Without a webhook to notify. */
  public NewEngine(
      String name,
      String plan,
      String placement,
      Integer slotsUsed,
      Integer slotsTotal,
      String frontendState,
      String adminState,
      String release,
      String serviceAccountId) {
    this(
        name,
        plan,
        placement,
        slotsUsed,
        slotsTotal,
        frontendState,
        adminState,
        release,
        serviceAccountId,
        null);
  }
}
