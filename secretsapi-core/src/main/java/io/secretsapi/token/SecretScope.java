package io.secretsapi.token;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
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
    Instant createdAt) {

  /**
   * The SHA-256 (hex) of this scope's definition as it stands: operations, upstream hosts, methods
   * and path prefixes, {@code max_ttl}, {@code max_uses}, {@code max_amount}, {@code amount_field}
   * and its creation time. An approval holds this digest (design 0030): a scope deleted and defined
   * again, or defined otherwise, has another one, so the approval no longer issues.
   */
  public String digest() {
    StringBuilder b = new StringBuilder();
    b.append("scope/1\n").append(secretId).append('\n').append(name).append('\n');
    b.append(operations.stream().map(Operation::wire).sorted().toList()).append('\n');
    b.append(upstream.hosts().stream().sorted().toList()).append('\n');
    b.append(upstream.methods().stream().sorted().toList()).append('\n');
    b.append(upstream.pathPrefixes().stream().sorted().toList()).append('\n');
    b.append(maxTtl.toMillis()).append('\n');
    b.append(maxUses.map(String::valueOf).orElse("-")).append('\n');
    b.append(maxAmount.map(BigDecimal::toPlainString).orElse("-")).append('\n');
    b.append(amountField.orElse("-")).append('\n');
    b.append(createdAt.toEpochMilli());
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(b.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }
}
