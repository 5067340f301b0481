package io.secretsapi.secret;

import java.util.List;

/**
 * What an operator sends to store a secret. {@link #toString()} never prints the value.
 *
 * @param kind {@code static} (the operator supplies values) or {@code generated} (the broker
 *     generates them, at creation and at each rotation); null means static
 */
public record NewSecret(
    String name,
    String provider,
    String resourceClass,
    String environment,
    String owner,
    List<String> tags,
    String value,
    String kind) {

  @Override
  public String toString() {
    return "NewSecret[name=" + name + ", provider=" + provider + ", value=<redacted>]";
  }
}
