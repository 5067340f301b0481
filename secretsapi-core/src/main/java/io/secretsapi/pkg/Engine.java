package io.secretsapi.pkg;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An engine ({@code eng_}): a deployed workload such as "POD Engine Alpha", with its plan ("SaaS
 * Growth Plan"), placement ("prod-node-01", "Pending placement"), slots ("3 of 6 used"), frontend
 * and admin state ("Live frontend / Governed admin"), the release it runs, and the service account
 * its principals belong to.
 *
 * @param bindings the packages bound to it, oldest first
 * @param webhookId the webhook of its account that its secrets' rotations are delivered to
 */
public record Engine(
    String id,
    String accountId,
    String name,
    String plan,
    String placement,
    int slotsUsed,
    int slotsTotal,
    String frontendState,
    String adminState,
    String release,
    String serviceAccountId,
    Instant createdAt,
    List<Binding> bindings,
    Optional<String> webhookId) {

  /**
   * A package bound to the engine, and the version of the policy set {@code engine-<id>} the
   * binding wrote.
   */
  public record Binding(
      String packageId, String policyId, int policyVersion, Instant boundAt, String boundBy) {}
}
