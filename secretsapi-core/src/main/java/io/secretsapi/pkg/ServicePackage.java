package io.secretsapi.pkg;

import java.time.Instant;
import java.util.List;

/**
 * A service package ({@code pkg_}): scopes of secrets bundled under a name, such as "Stripe +
 * Cloudflare + Internal analytics", a tier ("SaaS storefront / Stable") and a review lane ("Finance
 * review bundle").
 *
 * @param accountId the service account that owns it, and every secret it bundles
 */
public record ServicePackage(
    String id,
    String accountId,
    String name,
    String tier,
    String reviewLane,
    List<Item> items,
    Instant createdAt,
    Instant updatedAt) {

  /** One bundled secret and the scope it is used under; the scope exists on the secret. */
  public record Item(String secretId, String scope) {}
}
