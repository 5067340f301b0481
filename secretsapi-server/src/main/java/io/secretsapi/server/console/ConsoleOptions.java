package io.secretsapi.server.console;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The console's settings, from {@code console.*} in the broker's configuration.
 *
 * @param environment what the header band names as the environment, such as {@code production};
 *     empty: the band shows none
 * @param region what the header band names as the region, such as {@code us-east-1}; empty: none
 * @param sessionIdle a session unused this long ends
 * @param sessionMax a session ends this long after login, however busy
 * @param tls whether the broker serves HTTPS: the session cookie is then {@code Secure} and named
 *     with the {@code __Host-} prefix
 */
public record ConsoleOptions(
    String environment, String region, Duration sessionIdle, Duration sessionMax, boolean tls) {
  public ConsoleOptions {
    requireNonNull(environment, "environment");
    requireNonNull(region, "region");
    requireNonNull(sessionIdle, "sessionIdle");
    requireNonNull(sessionMax, "sessionMax");
  }
}
