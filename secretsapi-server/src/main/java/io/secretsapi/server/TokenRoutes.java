package io.secretsapi.server;

import static io.secretsapi.server.JsonSchema.constant;
import static io.secretsapi.server.JsonSchema.integer;
import static io.secretsapi.server.JsonSchema.items;
import static io.secretsapi.server.JsonSchema.object;
import static io.secretsapi.server.JsonSchema.oneOfStrings;
import static io.secretsapi.server.JsonSchema.ref;
import static io.secretsapi.server.JsonSchema.string;
import static io.secretsapi.server.JsonSchema.time;

import io.javalin.http.Context;
import io.secretsapi.Durations;
import io.secretsapi.Page;
import io.secretsapi.access.Scope;
import io.secretsapi.approval.ApprovalPendingException;
import io.secretsapi.crypto.SigningKeys;
import io.secretsapi.token.DeriveRequest;
import io.secretsapi.token.Grant;
import io.secretsapi.token.InvalidTokenException;
import io.secretsapi.token.IssueRequest;
import io.secretsapi.token.IssuedToken;
import io.secretsapi.token.Lineage;
import io.secretsapi.token.NewScope;
import io.secretsapi.token.Operation;
import io.secretsapi.token.Resolution;
import io.secretsapi.token.Revocation;
import io.secretsapi.token.RevokeRequest;
import io.secretsapi.token.TokenFilter;
import io.secretsapi.token.TokenService;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Routes for scoped tokens: issue, derive, introspect, resolve, inventory, lineage, revoke. */
final class TokenRoutes {
  static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
  static final String JWT_TYPE = "urn:ietf:params:oauth:token-type:jwt";

  /** Body of {@code POST /tokens/derive}; RFC 8693 token-exchange fields are accepted too. */
  record DeriveBody(
      String token,
      String subjectToken,
      String subjectTokenType,
      String grantType,
      String requestedTokenType,
      String scope,
      List<String> operations,
      NewScope.UpstreamSpec upstream,
      String ttl,
      Long maxUses,
      String maxAmount,
      String subject,
      String attestation) {
    @Override
    public String toString() {
      return "DeriveBody[token=<redacted>]";
    }
  }

  /** Body of {@code POST /tokens/introspect} (RFC 7662; JSON or form-encoded). */
  record IntrospectBody(String token, String tokenTypeHint) {
    @Override
    public String toString() {
      return "IntrospectBody[token=<redacted>]";
    }
  }

  /** Body of {@code POST /tokens/resolve}. */
  record ResolveBody(String token, String secretId) {
    @Override
    public String toString() {
      return "ResolveBody[token=<redacted>]";
    }
  }

  private TokenRoutes() {}

  static void register(Api api, TokenService tokens, SigningKeys keys) {
    api.route(
            "POST",
            "/tokens/issue",
            Scope.TOKENS_ISSUE,
            "Issue a scoped, signed, time-bound token for one intent, through the policy gate")
        .body(IssueRequest.class)
        .answers(ref("IssuedToken"))
        .answersWith(202, "application/json", ApprovalRoutes.pendingSchema())
        .example(Examples.ISSUE_REQUEST, Examples.issueAnswer())
        .handle(
            (ctx, caller) -> {
              IssueRequest b = Bodies.read(ctx, IssueRequest.class);
              IssuedToken t;
              try {
                t = tokens.issue(caller, b, Optional.of(RequestIds.of(ctx)));
              } catch (ApprovalPendingException pending) {
                ctx.status(202).json(ApprovalRoutes.pending(pending.approval()));
                return;
              }
              ctx.json(issued(t, Durations.parse("ttl", b.ttl())));
            });
    api.token(
            "POST", "/tokens/derive", "Narrow a token into a child (also RFC 8693 token exchange)")
        .body(DeriveBody.class)
        .answers(ref("IssuedToken"))
        .serve(
            ctx -> {
              DeriveBody b = Bodies.read(ctx, DeriveBody.class);
              String parent = presented(ctx, b.token() != null ? b.token() : b.subjectToken());
              if (b.grantType() != null && !TOKEN_EXCHANGE.equals(b.grantType())) {
                throw new BadRequestException(
                    "grant_type", "enum", "grant_type must be " + TOKEN_EXCHANGE);
              }
              if (b.subjectTokenType() != null && !JWT_TYPE.equals(b.subjectTokenType())) {
                throw new BadRequestException(
                    "subject_token_type", "enum", "subject_token_type must be " + JWT_TYPE);
              }
              if (b.scope() != null && b.operations() != null) {
                throw new BadRequestException(
                    "scope", "exclusive", "give operations or scope, not both");
              }
              List<String> ops =
                  b.operations() != null
                      ? b.operations()
                      : b.scope() != null ? Arrays.asList(b.scope().trim().split("\\s+")) : null;
              IssuedToken t =
                  tokens.derive(
                      parent,
                      new DeriveRequest(
                          ops,
                          b.upstream(),
                          b.ttl(),
                          b.maxUses(),
                          b.maxAmount(),
                          b.subject(),
                          b.attestation()),
                      Optional.of(RequestIds.of(ctx)));
              Map<String, Object> body = issued(t, Durations.parse("ttl", b.ttl()));
              body.put("status", "derived_token_issued");
              body.put("parent_id", t.grant().parentId().orElseThrow());
              body.put("access_token", t.token());
              body.put("issued_token_type", JWT_TYPE);
              body.put("token_type", "Bearer");
              ctx.json(body);
            });
    api.anyKey(
            "POST",
            "/tokens/introspect",
            "RFC 7662 introspection: active and claims, or only active false")
        .body(IntrospectBody.class)
        .bodyTypes("application/json", "application/x-www-form-urlencoded")
        .answers(introspection())
        .handle(
            (ctx, caller) -> {
              String token;
              String ct = ctx.contentType();
              if (ct != null && ct.startsWith("application/x-www-form-urlencoded")) {
                token = ctx.formParam("token");
              } else {
                token = Bodies.read(ctx, IntrospectBody.class).token();
              }
              ctx.json(tokens.introspect(token));
            });
    api.token(
            "POST",
            "/tokens/resolve",
            "Resolve the secret value through a token whose scope has reveal")
        .body(ResolveBody.class)
        .answers(
            object()
                .req("status", constant("resolved"))
                .req("secret_id", string())
                .req("version", integer())
                .req("value", string("the secret value: the one answer that holds it"))
                .req("token_id", string())
                .nul("uses_remaining", integer())
                .req("audit_ref", string()))
        .serve(
            ctx -> {
              ResolveBody b = Bodies.read(ctx, ResolveBody.class);
              Resolution r =
                  tokens.resolve(
                      presented(ctx, b.token()),
                      Optional.ofNullable(b.secretId()),
                      Optional.of(RequestIds.of(ctx)));
              Map<String, Object> m = new LinkedHashMap<>();
              m.put("status", "resolved");
              m.put("secret_id", r.secretId());
              m.put("version", r.version());
              m.put("value", r.value());
              m.put("token_id", r.tokenId());
              m.put("uses_remaining", r.usesRemaining().orElse(null));
              m.put("audit_ref", r.auditRef());
              ctx.json(m);
            });
    api.route(
            "GET",
            "/tokens",
            Scope.AUDIT_READ,
            "Token inventory: filter by secret_id, principal, status, expiring_before")
        .query("secret_id", string(), "only tokens of this secret")
        .query("principal", string(), "only tokens held by this principal")
        .query("status", string(), "active, expired or revoked")
        .query("expiring_before", time(), "only tokens that expire before this RFC 3339 time")
        .query("limit", integer(), "at most this many, 1 to 500 (default 50)")
        .query("cursor", string(), "the next_cursor of the page before, under the same filters")
        .query(
            "offset",
            integer(),
            "skip this many (default 0); costs in proportion to the depth: follow next_cursor")
        .answers(
            items(ref("Grant"))
                .nul("next_cursor", string("the cursor of the next page; null on the last page")))
        .handle(
            (ctx, caller) -> {
              Optional<Instant> before =
                  Bodies.query(ctx, "expiring_before").map(TokenRoutes::instant);
              TokenFilter f =
                  new TokenFilter(
                      Bodies.query(ctx, "secret_id"),
                      Bodies.query(ctx, "principal"),
                      Bodies.query(ctx, "status"),
                      before,
                      Bodies.queryInt(ctx, "limit", 50),
                      Bodies.queryInt(ctx, "offset", 0),
                      Bodies.query(ctx, "cursor"));
              Page<Grant> page = tokens.page(caller, f);
              Map<String, Object> m = new LinkedHashMap<>();
              m.put("items", page.items().stream().map(TokenRoutes::grant).toList());
              m.put("next_cursor", page.nextCursor().orElse(null));
              ctx.json(m);
            });
    api.route("GET", "/tokens/{id}", Scope.AUDIT_READ, "One grant: limits, uses, status, policy")
        .answers(ref("Grant"))
        .handle((ctx, caller) -> ctx.json(grant(tokens.get(caller, ctx.pathParam("id")))));
    api.route(
            "GET",
            "/tokens/{id}/lineage",
            Scope.AUDIT_READ,
            "The token's tree: secret, scoped token, derived and downstream tokens, each with its status")
        .answers(
            object()
                .req("secret_id", string())
                .req("secret_status", string())
                .req("root", ref("LineageNode")))
        .handle(
            (ctx, caller) -> {
              Lineage l = tokens.lineage(caller, ctx.pathParam("id"));
              Map<String, Object> m = new LinkedHashMap<>();
              m.put("secret_id", l.secretId());
              m.put("secret_status", l.secretStatus());
              m.put("root", node(l.root()));
              ctx.json(m);
            });
    api.route(
            "POST",
            "/access/revoke",
            Scope.TOKENS_REVOKE,
            "Revoke a token (with its subtree), a secret, a principal or an API key, immediately")
        .body(RevokeRequest.class)
        .answers(
            object()
                .req("status", constant("revoked"))
                .req("kind", oneOfStrings("token", "secret", "principal", "api_key"))
                .req("target", string())
                .req("revoked", integer())
                .req("revocation_seq", integer())
                .req("audit_ref", string()))
        .example(Examples.REVOKE_REQUEST, Examples.revokeAnswer())
        .handle(
            (ctx, caller) -> {
              Revocation r =
                  tokens.revoke(
                      caller,
                      Bodies.read(ctx, RevokeRequest.class),
                      Optional.of(RequestIds.of(ctx)));
              Map<String, Object> m = new LinkedHashMap<>();
              m.put("status", "revoked");
              m.put("kind", r.kind());
              m.put("target", r.target());
              m.put("revoked", r.revoked());
              m.put("revocation_seq", r.sequence());
              m.put("audit_ref", r.auditRef());
              ctx.json(m);
            });
    api.open("GET", "/.well-known/jwks.json", "The public keys that sign tokens (Ed25519)")
        .answersWith(200, "application/jwk-set+json", ref("Jwks"))
        .serve(
            ctx -> ctx.contentType("application/jwk-set+json").result(keys.jwks().toString(true)));
    api.route(
            "POST",
            "/admin/token-keys/rotate",
            Scope.ADMIN,
            "Start signing tokens with a new key; the old key keeps verifying until its tokens expire")
        .answers(object().req("status", constant("rotated")).req("kid", string()))
        .handle((ctx, caller) -> ctx.json(Map.of("status", "rotated", "kid", keys.rotate())));
  }

  /** RFC 7662: only {@code active: false} for a token that is not active, else its claims. */
  private static JsonSchema.Obj introspection() {
    return object()
        .req("active", JsonSchema.bool())
        .opt("scope", string())
        .opt("client_id", string())
        .opt("username", string())
        .opt("token_type", string())
        .opt("exp", integer())
        .opt("iat", integer())
        .opt("nbf", integer())
        .opt("sub", string())
        .opt("act", object().req("sub", string()).build())
        .opt("aud", string())
        .opt("iss", string())
        .opt("jti", string())
        .opt("secret_id", string())
        .opt("secret_version", integer())
        .opt("operations", Schemas.OPERATIONS)
        .opt("upstream", ref("Upstream"))
        .opt("ancestors", JsonSchema.strings())
        .opt("depth", integer())
        .opt("environment", string())
        .opt("max_uses", JsonSchema.nullable(integer()))
        .opt("uses", integer())
        .opt("uses_remaining", JsonSchema.nullable(integer()))
        .opt("max_amount", JsonSchema.nullable(string()))
        .opt("amount_used", string())
        .opt("policy_ref", ref("PolicyRef"));
  }

  /** The token from the body, or from an {@code Authorization: Bearer} that is not an API key. */
  private static String presented(Context ctx, String fromBody) {
    if (fromBody != null) {
      return fromBody;
    }
    String h = ctx.header("Authorization");
    if (h != null
        && h.regionMatches(true, 0, "Bearer ", 0, 7)
        && !h.substring(7).trim().startsWith("sk_")) {
      return h.substring(7).trim();
    }
    throw new InvalidTokenException(
        "no token was presented: send it in the body, or as Authorization: Bearer");
  }

  private static Instant instant(String s) {
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw new BadRequestException(
          "expiring_before", "timestamp", "expiring_before must be an RFC 3339 time");
    }
  }

  static Map<String, Object> issued(IssuedToken t, Duration ttl) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", "scoped_token_issued");
    m.put("token_id", t.grant().id());
    m.put("expires_in", Durations.format(ttl));
    m.put("policy", "verified");
    m.put("audit_ref", t.auditRef());
    m.put("token", t.token());
    m.put("expires_at", t.grant().expiresAt());
    m.put("scope", t.grant().scope());
    m.put("policy_ref", TokenService.policyMap(t.grant().policy()));
    m.put("subject", t.grant().subject());
    m.put("actor", t.grant().actor().orElse(null));
    m.put("operations", Operation.wires(t.grant().operations()));
    return m;
  }

  static Map<String, Object> grant(Grant g) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("token_id", g.id());
    m.put("parent_id", g.parentId().orElse(null));
    m.put("root_id", g.rootId());
    m.put("depth", g.depth());
    m.put("ancestors", g.ancestors());
    m.put("secret_id", g.secretId());
    m.put("secret_version", g.secretVersion());
    m.put("scope", g.scope());
    m.put("operations", Operation.wires(g.operations()));
    m.put("upstream", g.upstream().toMap());
    m.put("subject", g.subject());
    m.put("actor", g.actor().orElse(null));
    m.put("service_account_id", g.serviceAccountId());
    m.put("environment", g.environment());
    m.put("issued_at", g.issuedAt());
    m.put("expires_at", g.expiresAt());
    m.put("max_uses", g.maxUses().orElse(null));
    m.put("uses", g.uses());
    m.put("max_amount", g.maxAmount().map(BigDecimal::toPlainString).orElse(null));
    m.put("amount_used", g.amountUsed().toPlainString());
    m.put("status", g.status());
    m.put("revoked_at", g.revokedAt().orElse(null));
    m.put("policy_ref", TokenService.policyMap(g.policy()));
    m.put("audit_ref", "AU-" + g.auditOffset());
    return m;
  }

  private static Map<String, Object> node(Lineage.Node n) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("token_id", n.tokenId());
    m.put("kind", n.kind());
    m.put("depth", n.depth());
    m.put("subject", n.subject());
    m.put("scope", n.scope());
    m.put("operations", Operation.wires(n.operations()));
    m.put("status", n.status());
    m.put("expires_at", n.expiresAt());
    m.put("children", n.children().stream().map(TokenRoutes::node).toList());
    return m;
  }
}
