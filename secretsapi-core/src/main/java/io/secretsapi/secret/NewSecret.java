package io.secretsapi.secret;

import io.secretsapi.proxy.Injection;
import java.util.List;

/**
 * What an operator sends to store a secret. {@link #toString()} never prints the value.
 *
 * @param kind {@code static} (the operator supplies values) or {@code generated} (the broker
 *     generates them, at creation and at each rotation); null means static
 * @param injection where the proxy puts the value; null means the provider's preset
 */
public record NewSecret(
    String name,
    String provider,
    String resourceClass,
    String environment,
    String owner,
    List<String> tags,
    String value,
    String kind,
    Injection.Spec injection) {

  /** A secret injected as its provider's preset says. */
  public NewSecret(
      String name,
      String provider,
      String resourceClass,
      String environment,
      String owner,
      List<String> tags,
      String value,
      String kind) {
    this(name, provider, resourceClass, environment, owner, tags, value, kind, null);
  }

  @Override
  public String toString() {
    return "NewSecret[name=" + name + ", provider=" + provider + ", value=<redacted>]";
  }
}
