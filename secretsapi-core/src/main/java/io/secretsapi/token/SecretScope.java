package io.secretsapi.token;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * A named, narrow use of one secret: what a token for it may do, where, for how long, how often and
 * for how much.
 *
 * @param amountField the JSON field of a proxied request body the amount is read from
 */
public record SecretScope(
    String secretId,
    String name,
    Set<Operation> operations,
    Upstream upstream,
    Duration maxTtl,
    Optional<Long> maxUses,
    Optional<BigDecimal> maxAmount,
    Optional<String> amountField,
    Instant createdAt) {}
