package io.secretsapi.server;

import io.secretsapi.Durations;
import io.secretsapi.Page;
import io.secretsapi.ValidationException;
import io.secretsapi.access.Caller;
import io.secretsapi.access.Scope;
import io.secretsapi.pkg.EngineService;
import io.secretsapi.pkg.PackageService;
import io.secretsapi.token.DeriveRequest;
import io.secretsapi.token.Grant;
import io.secretsapi.token.IssueRequest;
import io.secretsapi.token.IssuedToken;
import io.secretsapi.token.NewScope;
import io.secretsapi.token.Operation;
import io.secretsapi.token.Revocation;
import io.secretsapi.token.RevokeRequest;
import io.secretsapi.token.TokenFilter;
import io.secretsapi.token.TokenService;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tools the MCP endpoint offers agents. Each calls the core service its HTTP route calls, with
 * the same caller, so the policy gate, the limits and the records are the route's; each needs what
 * its route needs (the route's scope, or a token). No tool creates, reads or changes a secret's
 * value: tokens are issued, derived, listed and revoked, and an upstream is called with the value
 * injected by the proxy and redacted from the answer.
 */
final class McpTools {
  private McpTools() {}

  /**
   * Every tool, in the order {@code tools/list} shows them: the agents' tools, then the
   * provisioning tools of {@link McpPoolTools}.
   */
  static List<McpTool> all(
      TokenService tokens, ProxyRoutes proxy, PackageService packages, EngineService engines) {
    List<McpTool> tools = new java.util.ArrayList<>();
    tools.add(requestToken(tokens));
    tools.add(deriveToken(tokens));
    tools.add(revokeToken(tokens));
    tools.add(listGrants(tokens));
    tools.add(callUpstream(proxy));
    tools.addAll(McpPoolTools.all(packages, engines));
    return List.copyOf(tools);
  }

  static McpTool requestToken(TokenService tokens) {
    return McpTool.needing(
        Scope.TOKENS_ISSUE,
        "request_token",
        "Request a scoped, signed, time-bound token for one intent: one scope of one secret, through"
            + " the broker's policy gate (as POST /tokens/issue). The answer holds the token, never"
            + " the secret.",
        schema(
            Map.of(
                "secret_id", str("the secret, such as sec_..."),
                "scope", str("the scope of the secret to use, such as proxy"),
                "ttl", str("how long the token lives, such as 5m; at most the scope's max_ttl"),
                "environment", str("the environment the token is for, such as production"),
                "requested_by", str("the principal the token is for, when not the caller"),
                "approval_id",
                    str(
                        "asking again after a person approved: the approval_id of the first"
                            + " answer (status approval_pending)")),
            "secret_id",
            "scope",
            "ttl"),
        (caller, args) -> {
          String ttl = args.string("ttl");
          IssuedToken t;
          try {
            t =
                tokens.issue(
                    caller.key().orElseThrow(),
                    new IssueRequest(
                        args.string("secret_id"),
                        args.string("scope"),
                        ttl,
                        args.optString("requested_by").orElse(null),
                        args.optString("environment").orElse(null),
                        null,
                        args.optString("approval_id").orElse(null)),
                    Optional.of(caller.requestId()));
          } catch (io.secretsapi.approval.ApprovalPendingException pending) {
            return ApprovalRoutes.pending(pending.approval());
          }
          return TokenRoutes.issued(t, Durations.parse("ttl", ttl));
        });
  }

  static McpTool deriveToken(TokenService tokens) {
    return McpTool.withToken(
        Operation.DERIVE,
        "derive_token",
        "Derive a narrower child of a token for a sub-agent (as POST /tokens/derive): fewer"
            + " operations, fewer hosts, methods or paths, a shorter life, fewer uses. Absent fields"
            + " keep the parent's; anything wider is refused.",
        schema(
            Map.of(
                "token",
                    str(
                        "the parent token; leave out to derive from the token /mcp was called with"),
                "operations", strings("a subset of the parent's operations: proxy, reveal, derive"),
                "upstream", upstreamSchema(),
                "ttl",
                    str(
                        "how long the child lives, such as 2m; at most the parent's remaining life"),
                "max_uses", Map.of("type", "integer", "description", "uses the child may make"),
                "max_amount", str("a decimal amount the child may spend, out of the parent's"),
                "subject", str("the sub-agent the child is for")),
            "ttl"),
        (caller, args) -> {
          String parent = tokenOf(caller, args);
          Optional<String> ttl = args.optString("ttl");
          IssuedToken t =
              tokens.derive(
                  parent,
                  new DeriveRequest(
                      args.optStrings("operations").orElse(null),
                      upstream(args),
                      ttl.orElse(null),
                      args.optLong("max_uses").orElse(null),
                      args.optString("max_amount").orElse(null),
                      args.optString("subject").orElse(null),
                      null),
                  Optional.of(caller.requestId()));
          Duration life =
              ttl.map(d -> Durations.parse("ttl", d))
                  .orElseGet(() -> Duration.between(t.grant().issuedAt(), t.grant().expiresAt()));
          Map<String, Object> m = TokenRoutes.issued(t, life);
          m.put("status", "derived_token_issued");
          m.put("parent_id", t.grant().parentId().orElseThrow());
          return m;
        });
  }

  static McpTool revokeToken(TokenService tokens) {
    return McpTool.needing(
        Scope.TOKENS_REVOKE,
        "revoke_token",
        "Revoke a token of the caller's account, and by default every token derived from it, at"
            + " once (as POST /access/revoke with token_id).",
        schema(
            Map.of(
                "token_id", str("the token's id, such as tok_..."),
                "cascade",
                    Map.of(
                        "type", "boolean", "description", "revoke its children too (default true)"),
                "reason", str("why, for the audit trail")),
            "token_id"),
        (caller, args) -> {
          Revocation r =
              tokens.revoke(
                  caller.key().orElseThrow(),
                  new RevokeRequest(
                      args.string("token_id"),
                      args.optBoolean("cascade").orElse(null),
                      null,
                      null,
                      null,
                      args.optString("reason").orElse(null)),
                  Optional.of(caller.requestId()));
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("status", "revoked");
          m.put("kind", r.kind());
          m.put("target", r.target());
          m.put("revoked", r.revoked());
          m.put("revocation_seq", r.sequence());
          m.put("audit_ref", r.auditRef());
          return m;
        });
  }

  static McpTool listGrants(TokenService tokens) {
    return McpTool.needing(
        Scope.AUDIT_READ,
        "list_grants",
        "List the caller's account's grants, newest first: active ones unless another status is"
            + " asked (as GET /tokens). Each grant shows its limits and uses, never a token.",
        schema(
            Map.of(
                "status",
                    Map.of(
                        "type",
                        "string",
                        "enum",
                        List.of("active", "expired", "revoked"),
                        "description",
                        "which grants (default active)"),
                "secret_id", str("only grants of this secret"),
                "limit",
                    Map.of(
                        "type",
                        "integer",
                        "description",
                        "at most this many, 1 to 500 (default 50)"),
                "cursor", str("the next_cursor of the page before"))),
        (caller, args) -> {
          Caller key = caller.key().orElseThrow();
          TokenFilter f =
              new TokenFilter(
                  args.optString("secret_id"),
                  Optional.empty(),
                  Optional.of(args.optString("status").orElse("active")),
                  Optional.empty(),
                  args.intIn("limit", 1, 500, 50),
                  0,
                  args.optString("cursor"));
          Page<Grant> page = tokens.page(key, f);
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("items", page.items().stream().map(TokenRoutes::grant).toList());
          m.put("next_cursor", page.nextCursor().orElse(null));
          return m;
        });
  }

  static McpTool callUpstream(ProxyRoutes proxy) {
    return McpTool.withToken(
        Operation.PROXY,
        "call_upstream",
        "Call an upstream API through the broker's proxy with a token's grant (as /proxy/{host}/...):"
            + " the broker injects the secret, and the answer comes back with it redacted, cut at"
            + " 256 KiB. The secret never reaches the caller.",
        schema(
            Map.of(
                "token", str("the scoped token; leave out to use the token /mcp was called with"),
                "method",
                    Map.of(
                        "type",
                        "string",
                        "enum",
                        io.secretsapi.token.Upstream.METHODS,
                        "description",
                        "the HTTP method"),
                "host", str("the upstream host, with :port when not 443, such as api.openai.com"),
                "path", str("the path and query, such as /v1/models"),
                "headers",
                    Map.of(
                        "type",
                        "object",
                        "additionalProperties",
                        Map.of("type", "string"),
                        "description",
                        "headers for the upstream (credentials are dropped)"),
                "body", str("the request body, as text")),
            "method",
            "host",
            "path"),
        (caller, args) -> {
          String path = args.string("path");
          if (!path.startsWith("/")) {
            throw new ValidationException("path", "format", "path must start with /");
          }
          ProxyRoutes.WholeAnswer a =
              proxy.callWhole(
                  tokenOf(caller, args),
                  args.string("host"),
                  path,
                  args.string("method"),
                  args.stringMap("headers"),
                  args.optString("body").orElse("").getBytes(StandardCharsets.UTF_8),
                  caller.requestId());
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("status", a.status());
          m.put("content_type", a.contentType());
          m.put("body", new String(a.body(), StandardCharsets.UTF_8));
          m.put("truncated", a.truncated());
          m.put("audit_ref", a.auditRef());
          return m;
        });
  }

  /**
   * The token of the call: its {@code token} argument, else the one {@code /mcp} was called with.
   */
  private static String tokenOf(McpCaller caller, McpArgs args) {
    return args.optString("token")
        .or(caller::token)
        .orElseThrow(
            () ->
                new ValidationException(
                    "token", "required", "token is required when /mcp is called with an API key"));
  }

  private static NewScope.UpstreamSpec upstream(McpArgs args) {
    return args.optObject("upstream")
        .map(
            u ->
                new NewScope.UpstreamSpec(
                    u.optStrings("hosts").orElse(null),
                    u.optStrings("methods").orElse(null),
                    u.optStrings("path_prefixes").orElse(null)))
        .orElse(null);
  }

  private static Map<String, Object> upstreamSchema() {
    return Map.of(
        "type",
        "object",
        "description",
        "narrower upstream constraints than the parent's",
        "properties",
        Map.of(
            "hosts", strings("hosts, a subset of the parent's"),
            "methods", strings("methods, a subset of the parent's"),
            "path_prefixes", strings("path prefixes, each within one of the parent's")));
  }

  static Map<String, Object> str(String description) {
    return Map.of("type", "string", "description", description);
  }

  private static Map<String, Object> strings(String description) {
    return Map.of("type", "array", "items", Map.of("type", "string"), "description", description);
  }

  static Map<String, Object> schema(Map<String, Object> properties, String... required) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("type", "object");
    s.put("properties", new java.util.TreeMap<>(properties));
    s.put("required", List.of(required));
    s.put("additionalProperties", false);
    return s;
  }
}
