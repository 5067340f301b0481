package io.secretsapi.exposure;

import java.time.Instant;
import java.util.List;

/**
 * The exposure score of a secret or a live token, with its explanation: the score is the sum of its
 * factors' contributions.
 *
 * @param kind {@code secret} or {@code token}
 * @param id the secret or token id
 * @param secretId the secret (the token's secret, for a token)
 * @param delta the score now less the lowest score within the window
 * @param deltaWindowSeconds how long ago that lowest score was
 * @param threshold the threshold that applies (secrets; a token's is its secret's)
 * @param thresholdSource where that threshold was set: {@code secret}, {@code policy}, {@code
 *     resource_class}, or {@code default} (the configured one)
 */
public record Exposure(
    String kind,
    String id,
    String secretId,
    double score,
    double delta,
    double deltaWindowSeconds,
    double threshold,
    String thresholdSource,
    List<Factor> factors,
    Drift drift,
    Instant at) {
  public Exposure {
    factors = List.copyOf(factors);
  }
}
