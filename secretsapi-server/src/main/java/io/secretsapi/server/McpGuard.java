package io.secretsapi.server;

import static java.util.Objects.requireNonNull;

import io.secretsapi.Ids;
import io.secretsapi.access.AccessService;
import io.secretsapi.access.AuthenticationException;
import io.secretsapi.access.Scope;
import io.secretsapi.audit.AuditBroker;
import io.secretsapi.audit.AuditEntry;
import io.secretsapi.audit.AuditLog;
import io.secretsapi.audit.Redactor;
import io.secretsapi.storage.StoreUnavailableException;
import io.secretsapi.token.InvalidTokenException;
import io.secretsapi.token.TokenVerifier;
import io.secretsapi.token.VerifiedToken;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The servlet filter in front of {@code /mcp}: Javalin's {@code before} handlers do not run for a
 * servlet mounted beside it, so this filter gives each request its id and headers, and
 * authenticates its bearer through the API's own code: an API key through {@link
 * AccessService#authenticate}, anything else as a scoped token through the one {@link
 * TokenVerifier}. A request without a valid one is answered 401 with {@code WWW-Authenticate:
 * Bearer resource_metadata=...} (the MCP authorization specification, RFC 9728) and recorded as
 * {@code auth.fail}, with the presented credential only as its keyed hash.
 *
 * <p>Then it reads the body itself, to at most {@code limits.max_body_bytes}, and checks the
 * message ({@link McpEnvelope}: its JSON-RPC shape and the free-text guard over all of it) before
 * the SDK sees it: what it refuses is recorded as refused, with the status it is answered, and
 * answered with a JSON-RPC error naming the member and the rule; a notification is recorded here.
 * What passes reaches the SDK's transport as the bytes already read.
 */
final class McpGuard extends HttpFilter {
  private static final long serialVersionUID = 1L;

  static final String METADATA = "/.well-known/oauth-protected-resource";

  /** The header an MCP client may send to name itself on every request (design 0029). */
  static final String CLIENT_HEADER = "MCP-Client-Name";

  private static final Pattern HOST =
      Pattern.compile("[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]{2,45}](:[0-9]{1,5})?");
  private static final Pattern CLIENT = Pattern.compile("[A-Za-z0-9 ._@/+()-]{1,64}");

  private final transient AccessService access;
  private final transient TokenVerifier verifier;
  private final transient AuditBroker audit;
  private final transient Predicate<String> holdsSecret;
  private final long maxBodyBytes;
  private final transient FreeText freeText;
  private final transient java.util.Set<String> tools;

  McpGuard(
      AccessService access,
      TokenVerifier verifier,
      AuditBroker audit,
      Predicate<String> holdsSecret,
      long maxBodyBytes,
      java.util.Set<String> tools) {
    this.maxBodyBytes = maxBodyBytes;
    this.tools = java.util.Set.copyOf(tools);
    this.access = requireNonNull(access, "access");
    this.verifier = requireNonNull(verifier, "verifier");
    this.audit = requireNonNull(audit, "audit");
    this.holdsSecret = requireNonNull(holdsSecret, "holdsSecret");
    this.freeText = new FreeText(holdsSecret);
  }

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    String requestId = Ids.random("req_", 16);
    res.setHeader(RequestIds.HEADER, requestId);
    res.setHeader("Cache-Control", "no-store");
    res.setHeader("X-Content-Type-Options", "nosniff");
    String source = req.getRemoteAddr();
    String client = clientName(namedClient(req), holdsSecret);
    String header = req.getHeader("Authorization");
    McpCaller caller;
    try {
      caller = authenticate(header, requestId, source, client);
    } catch (AuthenticationException | InvalidTokenException refused) {
      refuse(req, res, requestId, source, client, header, refused);
      return;
    } catch (StoreUnavailableException down) {
      unavailable(res, requestId, down);
      return;
    }
    String route = req.getMethod() + " " + McpEndpoint.PATH + " (client " + client + ")";
    if (!req.getMethod().equals("POST")) {
      // the stateless transport serves POST only: refused here, recorded before it is answered
      String why = req.getMethod() + " is not served on " + McpEndpoint.PATH + "; send POST";
      if (recorded(res, requestId, caller, 405, why, source, route)) {
        res.setHeader("Allow", "POST");
        write(res, 405, problem("method-not-allowed", "Method not allowed", 405, why), requestId);
      }
      return;
    }
    if (req.getContentLengthLong() > maxBodyBytes) {
      String why = "the request body exceeds limits.max_body_bytes (" + maxBodyBytes + ")";
      if (recorded(res, requestId, caller, 413, why, source, route)) {
        write(res, 413, problem("payload-too-large", "Payload too large", 413, why), requestId);
      }
      return;
    }
    String type = String.valueOf(req.getContentType()).toLowerCase(java.util.Locale.ROOT);
    if (!type.contains("application/json")) {
      refused(
          res,
          requestId,
          caller,
          415,
          new McpEnvelope.Refused(
              McpEnvelope.INVALID_REQUEST,
              "Content-Type",
              "media_type",
              "Content-Type must be application/json",
              null),
          source,
          route);
      return;
    }
    String accept = String.valueOf(req.getHeader("Accept"));
    if (!accept.contains("application/json") || !accept.contains("text/event-stream")) {
      refused(
          res,
          requestId,
          caller,
          400,
          new McpEnvelope.Refused(
              McpEnvelope.INVALID_REQUEST,
              "Accept",
              "media_type",
              "Accept must name both application/json and text/event-stream",
              null),
          source,
          route);
      return;
    }
    byte[] body = read(req);
    if (body == null) {
      String why = "the request body exceeds limits.max_body_bytes (" + maxBodyBytes + ")";
      if (recorded(res, requestId, caller, 413, why, source, route)) {
        write(res, 413, problem("payload-too-large", "Payload too large", 413, why), requestId);
      }
      return;
    }
    McpEnvelope envelope;
    try {
      envelope = McpEnvelope.read(body, freeText, tools);
    } catch (McpEnvelope.Refused r) {
      refused(res, requestId, caller, McpEnvelope.status(r), r, source, route);
      return;
    }
    if (envelope.notification()) {
      // answered 202 with nothing, whatever the SDK makes of it: recorded here, before that
      String what =
          "POST " + McpEndpoint.PATH + " " + envelope.method() + " (client " + client + ")";
      if (record(
              res,
              requestId,
              AuditEntry.of("request", caller.principal(), "allow")
                  .status(202)
                  .reason("accepted")
                  .requestId(requestId)
                  .source(source)
                  .route(what)
                  .build())
          .isEmpty()) {
        return;
      }
    }
    req.setAttribute(McpEndpoint.CALLER, caller);
    chain.doFilter(new ReplayedRequest(req, body), res);
  }

  /** The body, read to at most {@link #maxBodyBytes}; null when it runs past them. */
  private byte[] read(HttpServletRequest req) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try (java.io.InputStream in = req.getInputStream()) {
      for (int n; (n = in.read(buf)) >= 0; ) {
        out.write(buf, 0, n);
        if (out.size() > maxBodyBytes) {
          return null;
        }
      }
    }
    return out.toByteArray();
  }

  /**
   * Answers a message refused before the SDK reads it with a JSON-RPC error naming the member and
   * the rule, recorded first as refused with the HTTP status it is answered.
   */
  private void refused(
      HttpServletResponse res,
      String requestId,
      McpCaller caller,
      int status,
      McpEnvelope.Refused r,
      String source,
      String route)
      throws IOException {
    java.util.OptionalLong recorded =
        record(
            res,
            requestId,
            AuditEntry.of("request", caller.principal(), "deny")
                .status(status)
                .reason(McpEnvelope.message(r))
                .requestId(requestId)
                .source(source)
                .route(route)
                .build());
    if (recorded.isEmpty()) {
      return;
    }
    long offset = recorded.getAsLong();
    res.setStatus(status);
    res.setContentType("application/json");
    res.getOutputStream()
        .write(
            Server.JSON
                .writeValueAsString(McpEnvelope.error(r, requestId, AuditLog.ref(offset)))
                .getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Records a request refused before the endpoint reads it; false, with a 503 answered, when the
   * store cannot record it (nothing is answered that the trail did not record).
   */
  private boolean recorded(
      HttpServletResponse res,
      String requestId,
      McpCaller caller,
      int status,
      String why,
      String source,
      String route)
      throws IOException {
    return record(
            res,
            requestId,
            AuditEntry.of("request", caller.principal(), "deny")
                .status(status)
                .reason(why)
                .requestId(requestId)
                .source(source)
                .route(route)
                .build())
        .isPresent();
  }

  private McpCaller authenticate(String header, String requestId, String source, String client) {
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new AuthenticationException();
    }
    String presented = header.substring(7).trim();
    if (presented.startsWith("sk_")) {
      return McpCaller.of(access.authenticate(presented), requestId, source, client);
    }
    VerifiedToken t = verifier.verify(presented);
    return McpCaller.of(presented, t, requestId, source, client);
  }

  private void refuse(
      HttpServletRequest req,
      HttpServletResponse res,
      String requestId,
      String source,
      String client,
      String header,
      RuntimeException why)
      throws IOException {
    AuditEntry.Builder e =
        AuditEntry.of("auth.fail", "anonymous", "deny")
            .status(401)
            .reason(why instanceof InvalidTokenException ? "Invalid token" : "Unauthenticated")
            .requestId(requestId)
            .source(source)
            .route(req.getMethod() + " " + McpEndpoint.PATH + " (client " + client + ")");
    if (header != null && !header.isBlank()) {
      e.hashed("credential", audit.hash(header.trim()));
    }
    Problem p =
        why instanceof InvalidTokenException
            ? problem("invalid-token", "Invalid token", 401, why.getMessage())
            : problem("unauthenticated", "Unauthenticated", 401, why.getMessage());
    java.util.OptionalLong offset = record(res, requestId, e.build());
    if (offset.isEmpty()) {
      return;
    }
    p = Problems.withAuditRef(p, AuditLog.ref(offset.getAsLong()));
    res.setHeader(
        "WWW-Authenticate",
        "Bearer resource_metadata=\""
            + base(req, holdsSecret)
            + METADATA
            + McpEndpoint.PATH
            + "\"");
    write(res, 401, p, requestId);
  }

  /**
   * Records {@code e}; its offset, or empty with a 503 answered when the store cannot record it
   * (nothing is answered that the trail did not record).
   */
  private java.util.OptionalLong record(HttpServletResponse res, String requestId, AuditEntry e)
      throws IOException {
    try {
      return java.util.OptionalLong.of(audit.record(e));
    } catch (StoreUnavailableException down) {
      unavailable(res, requestId, down);
      return java.util.OptionalLong.empty();
    }
  }

  private static void unavailable(
      HttpServletResponse res, String requestId, StoreUnavailableException down)
      throws IOException {
    write(
        res,
        503,
        problem("store-unavailable", "Store unavailable", 503, down.getMessage()),
        requestId);
  }

  private static Problem problem(String type, String title, int status, String detail) {
    return Problems.problem(type, title, status, detail, McpEndpoint.PATH, null, null, null);
  }

  private static void write(HttpServletResponse res, int status, Problem p, String requestId)
      throws IOException {
    res.setStatus(status);
    res.setContentType(Problems.CONTENT_TYPE);
    res.getOutputStream()
        .write(Server.JSON.writeValueAsString(p.body(requestId)).getBytes(StandardCharsets.UTF_8));
  }

  /** RFC 9728 metadata of the protected resource at {@code resource}. */
  static Map<String, Object> metadata(String resource) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("resource", resource);
    m.put("resource_name", "SecretsAPI");
    m.put("bearer_methods_supported", List.of("header"));
    m.put("scopes_supported", Arrays.stream(Scope.values()).map(Scope::wire).toList());
    return m;
  }

  /**
   * The broker's address as the caller reached it: the {@code Host} it sent when that is a host
   * name or address (and no stored value), else the local address that took the request.
   */
  static String base(HttpServletRequest req, Predicate<String> holdsSecret) {
    String host = req.getHeader("Host");
    if (host == null
        || !HOST.matcher(host).matches()
        || Redactor.looksLikeCredential(host)
        || holdsSecret.test(host)) {
      String local = req.getLocalAddr();
      host = (local.contains(":") ? "[" + local + "]" : local) + ":" + req.getLocalPort();
    }
    return (req.isSecure() ? "https" : "http") + "://" + host;
  }

  /** The name the client sent in {@link #CLIENT_HEADER}, else the product of its User-Agent. */
  private static String namedClient(HttpServletRequest req) {
    String named = req.getHeader(CLIENT_HEADER);
    if (named != null && !named.isBlank()) {
      return named;
    }
    String agent = req.getHeader("User-Agent");
    if (agent == null || agent.isBlank()) {
      return "";
    }
    String product = agent.trim().split("[ ]", 2)[0];
    int slash = product.indexOf('/');
    return slash > 0 ? product.substring(0, slash) : product;
  }

  /**
   * A client's name as records carry it: a short name of plain characters, {@code unnamed} when it
   * has none or another form, and {@code withheld} when it has a credential's shape or is a stored
   * value, which no record may hold.
   */
  static String clientName(String raw, Predicate<String> holdsSecret) {
    String name = raw == null ? "" : raw.trim();
    if (name.isEmpty() || !CLIENT.matcher(name).matches()) {
      return "unnamed";
    }
    if (Redactor.looksLikeCredential(name) || holdsSecret.test(name)) {
      return "withheld";
    }
    return name;
  }
}
