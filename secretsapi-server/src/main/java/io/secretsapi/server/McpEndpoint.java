package io.secretsapi.server;

import static java.util.Objects.requireNonNull;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStatelessServerTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import io.secretsapi.audit.AuditBroker;
import io.secretsapi.audit.AuditEntry;
import io.secretsapi.audit.AuditLog;
import io.secretsapi.audit.Origin;
import io.secretsapi.storage.StoreUnavailableException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The MCP endpoint for agents: JSON-RPC over Streamable HTTP at {@code /mcp}, served by the MCP
 * Java SDK's stateless servlet transport mounted beside Javalin (design 0029).
 *
 * <p>In order: {@link McpGuard}, a servlet filter, authenticates the bearer (an API key or a scoped
 * token, through the same code as the API) and refuses with 401 and the protected-resource
 * metadata's address, and checks the message ({@link McpEnvelope}), refusing and recording what
 * does not pass; the SDK parses the message; {@link Scoped} records the request and refuses a call
 * of a tool the caller is not offered, and turns any failure into a JSON-RPC error; the SDK's tool
 * filter lists only the tools it is offered; the tool's body runs with the request bound as the
 * {@link Origin} of every record the core services write, and ends with a record of its own when
 * they wrote none. Stateless: each POST carries its caller, so nothing is kept between requests and
 * any node answers any request.
 */
final class McpEndpoint implements AutoCloseable {
  static final String PATH = "/mcp";
  static final String CALLER = "secretsapi.mcp.caller";
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(McpEndpoint.class);

  private final List<McpTool> tools;
  private final AuditBroker audit;
  private final Predicate<String> holdsSecret;
  private final McpJsonMapper json = new JacksonMcpJsonMapper(JsonMapper.builder().build());
  private final HttpServletStatelessServerTransport transport;
  private final McpStatelessSyncServer server;
  private final McpGuard guard;
  private final FreeText freeText;

  McpEndpoint(
      List<McpTool> tools,
      io.secretsapi.access.AccessService access,
      io.secretsapi.token.TokenVerifier verifier,
      AuditBroker audit,
      Predicate<String> holdsSecret,
      long maxBodyBytes,
      String version) {
    this.tools = List.copyOf(tools);
    this.audit = requireNonNull(audit, "audit");
    this.holdsSecret = requireNonNull(holdsSecret, "holdsSecret");
    this.guard =
        new McpGuard(
            access,
            verifier,
            audit,
            holdsSecret,
            maxBodyBytes,
            this.tools.stream().map(McpTool::name).collect(java.util.stream.Collectors.toSet()));
    this.freeText = new FreeText(holdsSecret);
    this.transport =
        HttpServletStatelessServerTransport.builder()
            .jsonMapper(json)
            .messageEndpoint(PATH)
            // McpGuard bounds the body at limits.max_body_bytes and records what it refuses: the
            // transport's own bound (16 MiB by default) is never the lower one
            .maxRequestSize(
                (int) Math.min(Integer.MAX_VALUE, Math.max(16L << 20, maxBodyBytes + 1)))
            .contextExtractor(
                req ->
                    req.getAttribute(CALLER) == null
                        ? McpTransportContext.EMPTY
                        : McpTransportContext.create(Map.of(CALLER, req.getAttribute(CALLER))))
            .build();
    List<McpStatelessServerFeatures.SyncToolSpecification> specs = new ArrayList<>();
    for (McpTool t : this.tools) {
      specs.add(
          new McpStatelessServerFeatures.SyncToolSpecification(
              McpSchema.Tool.builder()
                  .name(t.name())
                  .description(t.description())
                  .inputSchema(t.inputSchema())
                  .build(),
              (ctx, request) -> call(t, caller(ctx), request.arguments())));
    }
    this.server =
        McpServer.sync(new Scoped(transport))
            .jsonMapper(json)
            // tools run on the request's own thread (a virtual thread on Java 21 and later, one of
            // Jetty's pool on 17, where slow upstream calls hold it as the /proxy route's do), not
            // on Reactor's shared bounded pool, where a few would queue every caller's tools
            .immediateExecution(true)
            // arguments are checked against each tool's schema by McpArgs.conform, which names the
            // argument in a refusal the trail records; the SDK's check logs what it refuses
            .validateToolInputs(false)
            .serverInfo("secretsapi", version)
            .instructions(
                "SecretsAPI brokers credentials: request a scoped token for one intent, derive a"
                    + " narrower one for a sub-agent, call an upstream through the proxy with it,"
                    + " and revoke it when done. No tool reveals a secret's value.")
            .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
            .tools(specs)
            // the SDK's per-request filter of tools/list: a caller sees the tools offered to it
            .addToolFilter((ctx, tool) -> offered(tool.name(), caller(ctx)))
            .build();
  }

  /** Mounts the filter and the transport's servlet at {@link #PATH}, beside Javalin's. */
  void mount(ServletContextHandler context) {
    context.addFilter(
        new FilterHolder(guard),
        PATH,
        java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
    ServletHolder holder = new ServletHolder("mcp", transport);
    holder.setAsyncSupported(true);
    context.addServlet(holder, PATH);
  }

  /**
   * The protected-resource metadata (RFC 9728) that MCP clients read to learn how {@code /mcp} is
   * authorized: at the broker's root, and at the path-suffixed address the 401's {@code
   * WWW-Authenticate} names.
   */
  void register(Api api) {
    for (String suffix : List.of("", PATH)) {
      api.open(
              "GET",
              McpGuard.METADATA + suffix,
              "Protected-resource metadata (RFC 9728) for MCP clients: the resource and how a bearer"
                  + " API key or scoped token is sent")
          .answers(
              JsonSchema.object()
                  .req("resource", JsonSchema.string("the protected resource's URL"))
                  .req("resource_name", JsonSchema.string())
                  .req("bearer_methods_supported", JsonSchema.strings())
                  .req("scopes_supported", JsonSchema.strings()))
          .serve(
              ctx -> ctx.json(McpGuard.metadata(McpGuard.base(ctx.req(), holdsSecret) + suffix)));
    }
  }

  private static McpCaller caller(McpTransportContext ctx) {
    Object c = ctx.get(CALLER);
    if (!(c instanceof McpCaller caller)) {
      throw new IllegalStateException("an MCP request reached a tool without its caller");
    }
    return caller;
  }

  /**
   * Runs one tool for {@code caller}: a tool not offered is refused here too (a second check behind
   * {@link Scoped}), the request is the origin of every record its services write, and a call they
   * did not record gets a record of its own, refused or served.
   */
  private McpSchema.CallToolResult call(McpTool tool, McpCaller caller, Map<String, Object> args) {
    String route = route(caller, "tools/call " + tool.name());
    Origin origin = Origin.of(caller.requestId(), caller.source(), route);
    Origin.bind(origin);
    try {
      if (!tool.offeredTo(caller)) {
        throw tool.scope()
            .map(io.secretsapi.access.PermissionDeniedException::new)
            .orElseGet(
                () -> new io.secretsapi.access.PermissionDeniedException(tool.refusal(caller)));
      }
      // the HTTP routes' free-text guard: no argument but a token or a body to forward may hold
      // a credential or a stored value, which a service would otherwise keep (a revocation's
      // reason) or repeat (a grant's subject)
      freeText.offendingArgument(args, McpEnvelope.ARGS_EXEMPT).ifPresent(freeText::refuse);
      McpArgs arguments = new McpArgs(args);
      arguments.conform(tool.inputSchema());
      Map<String, Object> result = tool.body().call(caller, arguments);
      if (origin.recorded().isEmpty()) {
        record(caller, route, "request", "allow", 200, "served");
      }
      return result(result, false);
    } catch (Exception e) {
      Problem p = McpProblems.of(e, caller.requestId(), holdsSecret);
      if (!p.extra().containsKey("audit_ref") && !(e instanceof StoreUnavailableException)) {
        try {
          long offset =
              origin.recorded().isPresent()
                  ? origin.recorded().getAsLong()
                  : record(
                      caller,
                      route,
                      p.status() == 401 ? "auth.fail" : "request",
                      "deny",
                      p.status(),
                      p.title());
          p = Problems.withAuditRef(p, AuditLog.ref(offset));
        } catch (StoreUnavailableException unavailable) {
          p = McpProblems.of(unavailable, caller.requestId(), holdsSecret);
        }
      }
      return result(p.body(caller.requestId()), true);
    } finally {
      Origin.clear();
    }
  }

  private McpSchema.CallToolResult result(Map<String, Object> body, boolean error) {
    // written once by the API's mapper (snake_case, RFC 3339 times), so that the text and the
    // structured content are the route's answer, byte for byte and value for value
    String text = Server.JSON.writeValueAsString(body);
    Map<?, ?> plain = Server.JSON.readValue(text, Map.class);
    return McpSchema.CallToolResult.builder()
        .addTextContent(text)
        .structuredContent(plain)
        .isError(error)
        .build();
  }

  /**
   * The route records of an MCP request carry: {@code POST /mcp}, the JSON-RPC method (and tool),
   * and the MCP client's name.
   */
  static String route(McpCaller caller, String what) {
    return "POST " + PATH + " " + what + " (client " + caller.client() + ")";
  }

  long record(
      McpCaller caller, String route, String type, String decision, int status, String why) {
    return audit.record(
        AuditEntry.of(type, caller.principal(), decision)
            .status(status)
            .reason(why)
            .requestId(caller.requestId())
            .source(caller.source())
            .route(route)
            .build());
  }

  @Override
  public void close() {
    server.close();
  }

  /**
   * The SDK's transport with the caller's view put in front of its handler: each request is
   * recorded before it is answered, and a {@code tools/call} of a tool not offered to the caller is
   * refused with a JSON-RPC error, recorded as refused, before the SDK dispatches it.
   */
  private final class Scoped implements McpStatelessServerTransport {
    private final HttpServletStatelessServerTransport inner;

    Scoped(HttpServletStatelessServerTransport inner) {
      this.inner = inner;
    }

    @Override
    public void setMcpHandler(McpStatelessServerHandler handler) {
      inner.setMcpHandler(
          new McpStatelessServerHandler() {
            @Override
            public Mono<McpSchema.JSONRPCResponse> handleRequest(
                McpTransportContext ctx, McpSchema.JSONRPCRequest request) {
              // an error reaching the SDK would be answered with the exception serialised (its
              // stack trace) and logged with what it holds: it ends here, as a JSON-RPC error
              return Mono.defer(() -> handle(handler, ctx, request))
                  .onErrorResume(e -> Mono.just(failed(ctx, request, e)));
            }

            @Override
            public Mono<Void> handleNotification(
                McpTransportContext ctx, McpSchema.JSONRPCNotification notification) {
              // recorded by McpGuard before it reached here; answered 202 with nothing
              return Mono.defer(() -> handler.handleNotification(ctx, notification))
                  .onErrorResume(
                      e -> {
                        LOG.error(
                            "an mcp notification failed [request_id={}] {}",
                            caller(ctx).requestId(),
                            e.getClass().getName());
                        return Mono.empty();
                      });
            }
          });
    }

    @Override
    public Mono<Void> closeGracefully() {
      return inner.closeGracefully();
    }

    @Override
    public List<String> protocolVersions() {
      return inner.protocolVersions();
    }
  }

  private Mono<McpSchema.JSONRPCResponse> handle(
      McpStatelessServerHandler handler,
      McpTransportContext ctx,
      McpSchema.JSONRPCRequest request) {
    McpCaller named = caller(ctx);
    String method = request.method();
    if (McpSchema.METHOD_INITIALIZE.equals(method)) {
      named = named.namedBy(McpGuard.clientName(clientInfoName(request.params()), holdsSecret));
    }
    McpCaller caller = named;
    if (McpSchema.METHOD_TOOLS_CALL.equals(method)) {
      String name = String.valueOf(param(request.params(), "name"));
      McpTool tool = tools.stream().filter(t -> t.name().equals(name)).findFirst().orElse(null);
      String route = route(caller, "tools/call " + (tool == null ? "(unknown)" : name));
      if (tool == null || !tool.offeredTo(caller)) {
        // McpGuard refuses a tool that is not one of these: this is its second check
        String why = tool == null ? "no such tool" : tool.refusal(caller);
        long offset = record(caller, route, "request", "deny", 403, why);
        Map<String, Object> data = new LinkedHashMap<>();
        if (tool != null) {
          tool.scope().ifPresent(s -> data.put("required_scope", s.wire()));
        }
        data.put("audit_ref", AuditLog.ref(offset));
        return Mono.just(
            new McpSchema.JSONRPCResponse(
                McpSchema.JSONRPC_VERSION,
                request.id(),
                null,
                new McpSchema.JSONRPCResponse.JSONRPCError(
                    McpSchema.ErrorCodes.INVALID_PARAMS,
                    why + "; it is not offered to this caller",
                    data)));
      }
      // the tool's body records the call, served or refused; an error the SDK answers before
      // the body runs is recorded here
      return handler
          .handleRequest(ctx, request)
          .map(
              r -> {
                if (r.error() != null) {
                  record(
                      caller, route, "request", "deny", 200, "JSON-RPC error " + r.error().code());
                }
                return r;
              });
    }
    return handler
        .handleRequest(ctx, request)
        .map(
            r -> {
              record(
                  caller,
                  route(caller, method),
                  "request",
                  r.error() == null ? "allow" : "deny",
                  200,
                  r.error() == null ? "served" : "JSON-RPC error " + r.error().code());
              return r;
            });
  }

  /**
   * The answer to a request whose handling failed: a JSON-RPC internal error naming the request id
   * (the log has the exception's class), recorded as refused when the store records.
   */
  private McpSchema.JSONRPCResponse failed(
      McpTransportContext ctx, McpSchema.JSONRPCRequest request, Throwable e) {
    McpCaller caller = caller(ctx);
    String message;
    if (e instanceof StoreUnavailableException) {
      message = "the store is unavailable: the request was not recorded, and nothing was done";
    } else {
      LOG.error(
          "an mcp request failed [request_id={}] {}", caller.requestId(), e.getClass().getName());
      message = "the broker failed to handle the request; see its log for " + caller.requestId();
      try {
        record(caller, route(caller, request.method()), "request", "deny", 200, "internal error");
      } catch (StoreUnavailableException down) {
        message = "the store is unavailable: the request was not recorded";
      }
    }
    return new McpSchema.JSONRPCResponse(
        McpSchema.JSONRPC_VERSION,
        request.id(),
        null,
        new McpSchema.JSONRPCResponse.JSONRPCError(
            McpSchema.ErrorCodes.INTERNAL_ERROR,
            message,
            Map.of("request_id", caller.requestId())));
  }

  private boolean offered(String tool, McpCaller caller) {
    return tools.stream().anyMatch(t -> t.name().equals(tool) && t.offeredTo(caller));
  }

  private static Object param(Object params, String name) {
    return params instanceof Map<?, ?> m ? m.get(name) : null;
  }

  private static String clientInfoName(Object params) {
    Object info = param(params, "clientInfo");
    Object name = info instanceof Map<?, ?> m ? m.get("name") : null;
    return name instanceof String s ? s : "";
  }
}
