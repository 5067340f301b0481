package io.secretsapi.server;

import static java.util.Objects.requireNonNull;

import io.secretsapi.access.Caller;
import io.secretsapi.token.VerifiedToken;
import java.util.Optional;

/**
 * Who calls {@code /mcp}, as its servlet filter authenticated it: an API key (through {@link
 * io.secretsapi.access.AccessService#authenticate}) or a scoped token (through the one token
 * verifier), never both; with the request's id, the caller's address and the name the MCP client
 * gave. {@code toString} prints no credential.
 *
 * @param client the MCP client's name as the audit trail records it: a short slug, never a stored
 *     value
 */
record McpCaller(
    Optional<Caller> key,
    Optional<String> token,
    Optional<VerifiedToken> verified,
    String requestId,
    String source,
    String client) {
  McpCaller {
    requireNonNull(key, "key");
    requireNonNull(token, "token");
    requireNonNull(verified, "verified");
    requireNonNull(requestId, "requestId");
    requireNonNull(source, "source");
    requireNonNull(client, "client");
    if (key.isPresent() == verified.isPresent() || token.isPresent() != verified.isPresent()) {
      throw new IllegalArgumentException("an MCP caller holds an API key or a token, not both");
    }
  }

  static McpCaller of(Caller key, String requestId, String source, String client) {
    return new McpCaller(
        Optional.of(key), Optional.empty(), Optional.empty(), requestId, source, client);
  }

  static McpCaller of(
      String token, VerifiedToken t, String requestId, String source, String client) {
    return new McpCaller(
        Optional.empty(), Optional.of(token), Optional.of(t), requestId, source, client);
  }

  /** The name records carry as actor: the key's service account, or the token's subject. */
  String principal() {
    return key.map(Caller::principal).orElseGet(() -> verified.orElseThrow().subject());
  }

  /** The same caller, as named by another client (the name an initialize request gives). */
  McpCaller namedBy(String otherClient) {
    return new McpCaller(key, token, verified, requestId, source, otherClient);
  }

  @Override
  public String toString() {
    return "McpCaller[" + principal() + ", client " + client + ", token=<redacted>]";
  }
}
