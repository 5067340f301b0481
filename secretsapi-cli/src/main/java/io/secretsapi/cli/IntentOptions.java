package io.secretsapi.cli;

import picocli.CommandLine.Option;

/** The intent {@code run} and {@code env} issue a token for: one scope of one secret, a while. */
final class IntentOptions {
  @Option(
      names = "--secret",
      required = true,
      description = "The secret, by id (sec_...) or by its unique name")
  String secret;

  @Option(
      names = "--scope",
      required = true,
      description = "The secret's scope to issue the token for; it must allow the proxy operation")
  String scope;

  @Option(
      names = "--ttl",
      defaultValue = "15m",
      description = "Lifetime of the token, at most the scope's max_ttl (default ${DEFAULT-VALUE})")
  String ttl;

  @Option(
      names = "--requested-by",
      description =
          "The service account the command runs as, when it is not the key's own: the token names"
              + " it as its subject and you as its actor (a policy rule must let you delegate)")
  String requestedBy;

  @Option(
      names = "--environment",
      description = "Environment the token is for (default: the secret's own environment)")
  String environment;

  @Option(
      names = "--provider",
      description =
          "Which SDK variables to set: openai, anthropic or generic (default: the secret's"
              + " provider; any other provider gets the generic pair)")
  String provider;

  @Option(
      names = "--upstream-host",
      description =
          "Host the base URL points at (default: the scope's only upstream host, or the"
              + " provider's own host when the scope names several)")
  String upstreamHost;
}
