package io.secretsapi.cli;

import io.secretsapi.client.SecretsApiClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * One intent of {@code run} and {@code env}: the secret (resolved from its name), the body of
 * {@code POST /tokens/issue}, and the provider whose SDK variables are set. Issuing the first token
 * also reads, by introspection, the upstream hosts its scope reaches, which the base URL needs.
 */
final class Intent {
  /** A token the broker issued: its id, the token, and when it expires. */
  record Issued(String tokenId, String token, Instant expiresAt) {
    @Override
    public String toString() {
      return "Issued[" + tokenId + ", expires " + expiresAt + "]";
    }
  }

  final String secretId;
  final String kind;
  private final Map<String, Object> body;
  private final IntentOptions opts;

  private Intent(String secretId, String kind, Map<String, Object> body, IntentOptions opts) {
    this.secretId = secretId;
    this.kind = kind;
    this.body = body;
    this.opts = opts;
  }

  /**
   * Prepares the issue request. The secret's masked view is read (which needs {@code secrets:read})
   * for its id, provider and environment, unless the secret is given by id with {@code --provider}
   * and {@code --environment}, which a key holding only {@code tokens:issue} and {@code
   * tokens:revoke} can use.
   */
  static Intent of(SecretsApiClient client, IntentOptions opts) {
    if (opts.provider != null
        && !List.of("openai", "anthropic", "generic").contains(opts.provider)) {
      throw new IllegalArgumentException("--provider must be openai, anthropic or generic");
    }
    String id = opts.secret;
    String provider = opts.provider;
    String environment = opts.environment;
    if (!SecretRef.isId(id) || provider == null || environment == null) {
      JsonNode secret = SecretRef.resolve(client, opts.secret);
      id = secret.get("id").asString();
      provider = provider != null ? provider : text(secret, "provider");
      environment = environment != null ? environment : text(secret, "environment");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("secret_id", id);
    body.put("scope", opts.scope);
    body.put("ttl", opts.ttl);
    if (opts.requestedBy != null) {
      body.put("requested_by", opts.requestedBy);
    }
    if (environment != null) {
      body.put("environment", environment);
    }
    return new Intent(id, ProviderEnv.kind(provider), Map.copyOf(body), opts);
  }

  /** Issues one token for the intent ({@code POST /tokens/issue}). */
  Issued issue(SecretsApiClient client) {
    JsonNode t = client.call("POST", "/tokens/issue", body);
    return new Issued(
        t.get("token_id").asString(),
        t.get("token").asString(),
        Instant.parse(t.get("expires_at").asString()));
  }

  /**
   * The upstream host the base URL points at: {@code --upstream-host}, else the only host of the
   * token's scope, else the provider's own host among them. Refuses a scope without the proxy
   * operation or without hosts, for which every call would be refused.
   */
  String host(SecretsApiClient client, Issued first) {
    JsonNode claims = client.call("POST", "/tokens/introspect", Map.of("token", first.token()));
    if (!claims.path("active").asBoolean(false)) {
      throw new CliException(
          CliException.REFUSED, "the token just issued is not active: " + first.tokenId());
    }
    List<String> ops = strings(claims.path("operations"));
    if (!ops.contains("proxy")) {
      throw new CliException(
          CliException.REFUSED,
          "scope " + opts.scope + " does not allow the proxy operation (it has " + ops + ")");
    }
    List<String> hosts = strings(claims.path("upstream").path("hosts"));
    if (opts.upstreamHost != null) {
      if (!hosts.contains(opts.upstreamHost)) {
        throw new CliException(
            CliException.REFUSED,
            "--upstream-host " + opts.upstreamHost + " is not one of the scope's hosts " + hosts);
      }
      return opts.upstreamHost;
    }
    if (hosts.size() == 1) {
      return hosts.get(0);
    }
    if (hosts.contains(ProviderEnv.defaultHost(kind))) {
      return ProviderEnv.defaultHost(kind);
    }
    throw new CliException(
        CliException.REFUSED,
        hosts.isEmpty()
            ? "scope " + opts.scope + " names no upstream host: the proxy would refuse every call"
            : "scope "
                + opts.scope
                + " reaches several hosts "
                + hosts
                + ": pick one with"
                + " --upstream-host");
  }

  /** Revokes one token and the tokens derived from it ({@code POST /access/revoke}). */
  static void revoke(SecretsApiClient client, String tokenId, String reason) {
    client.call("POST", "/access/revoke", Map.of("token_id", tokenId, "reason", reason));
  }

  /** A failed call in one line: a problem's status, title and detail, or the error's message. */
  static String describe(RuntimeException e) {
    return e.getMessage();
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asString();
  }

  private static List<String> strings(JsonNode array) {
    List<String> l = new ArrayList<>();
    array.forEach(v -> l.add(v.asString()));
    return l;
  }
}
