package io.secretsapi.token;

import io.secretsapi.Required;
import java.util.List;

/**
 * What an operator sends to define a scope ({@code POST /secrets/{id}/scope}).
 *
 * @param maxTtl such as {@code 15m}; the longest token this scope issues
 * @param maxAmount a decimal, as a string, read from {@code amountField} of proxied bodies
 */
public record NewScope(
    @Required String name,
    @Required List<String> operations,
    UpstreamSpec upstream,
    String maxTtl,
    Long maxUses,
    String maxAmount,
    String amountField) {

  /** The upstream constraints as sent. */
  public record UpstreamSpec(List<String> hosts, List<String> methods, List<String> pathPrefixes) {}
}
