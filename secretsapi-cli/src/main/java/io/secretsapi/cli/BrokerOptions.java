package io.secretsapi.cli;

import io.secretsapi.client.SecretsApiClient;
import picocli.CommandLine.Option;

/** Where the broker is and the CLI's own API key, for {@code run} and {@code env}. */
final class BrokerOptions {
  @Option(
      names = "--addr",
      description = "Broker address (env SECRETSAPI_ADDR; default ${DEFAULT-VALUE})",
      defaultValue = "${env:SECRETSAPI_ADDR:-http://127.0.0.1:8200}")
  String addr;

  @Option(
      names = "--token",
      description =
          "The CLI's API key, which issues the tokens (and for run revokes them; env"
              + " SECRETSAPI_TOKEN); never given to a command that run starts",
      defaultValue = "${env:SECRETSAPI_TOKEN}")
  String token;

  SecretsApiClient client() {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("no API key: pass --token or set SECRETSAPI_TOKEN");
    }
    return Main.made(SecretsApiClient.create(addr, token));
  }

  /** The broker's address without a trailing slash. */
  String address() {
    return addr.endsWith("/") ? addr.substring(0, addr.length() - 1) : addr;
  }
}
