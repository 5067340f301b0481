package io.secretsapi.server;

import static java.util.Objects.requireNonNull;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.secretsapi.access.AccessService;
import io.secretsapi.access.AuthenticationException;
import io.secretsapi.access.Caller;
import io.secretsapi.access.Scope;
import io.secretsapi.audit.AuditBroker;
import io.secretsapi.audit.AuditEntry;
import io.secretsapi.audit.AuditLog;
import io.secretsapi.audit.Origin;
import io.secretsapi.storage.StoreUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Registers routes with Javalin and records each in the route table. Every authenticated route
 * declares the scope it needs (or that any valid key will do and the object's owner is checked
 * inside); the wrapper authenticates and checks the scope before the handler runs.
 */
final class Api {
  static final String CALLER = "secretsapi.caller";

  /**
   * The status of an answer whose status is not the broker's: the proxy passes the upstream's on.
   * The API description calls it {@code default}.
   */
  static final int UPSTREAM_STATUS = 0;

  /** A handler that runs for an authenticated caller. */
  @FunctionalInterface
  interface CallerHandler {
    void handle(Context ctx, Caller caller) throws Exception;
  }

  private final RoutesConfig routes;
  private final AccessService access;
  private final List<RouteSpec> specs;
  private final String tag;

  private final AuditBroker audit;
  private final java.util.function.Predicate<String> genuineToken;

  /**
   * @param genuineToken whether a presented token verifies: a token route refuses free text that
   *     holds a secret only for the holder of a genuine token, so that nobody without one can ask
   *     the broker whether some text is a stored value
   */
  Api(
      RoutesConfig routes,
      AccessService access,
      AuditBroker audit,
      java.util.function.Predicate<String> genuineToken) {
    this.routes = requireNonNull(routes, "routes");
    this.access = requireNonNull(access, "access");
    this.audit = requireNonNull(audit, "audit");
    this.genuineToken = requireNonNull(genuineToken, "genuineToken");
    this.specs = new ArrayList<>();
    this.tag = "ops";
  }

  private Api(Api api, String tag) {
    this.routes = api.routes;
    this.access = api.access;
    this.audit = api.audit;
    this.genuineToken = api.genuineToken;
    this.specs = api.specs;
    this.tag = requireNonNull(tag, "tag");
  }

  /** An endpoint that needs a key holding {@code scope}. */
  Route route(String method, String path, Scope scope, String summary) {
    return new Route(method, path, "scope", Optional.of(scope), summary);
  }

  /** An endpoint that any valid key may call; the handler checks the object's owner. */
  Route anyKey(String method, String path, String summary) {
    return new Route(method, path, "key", Optional.empty(), summary);
  }

  /**
   * An endpoint authenticated by a scoped token rather than an API key (derive, resolve, the
   * proxy): the handler verifies the token itself, through the one verifier. Finish with {@link
   * Route#serve}.
   */
  Route token(String method, String path, String summary) {
    return new Route(method, path, "token", Optional.empty(), summary);
  }

  /**
   * The routes registered through the answer carry {@code tag}: the feature they belong to, as the
   * API description groups them.
   */
  Api feature(String tag) {
    return new Api(this, tag);
  }

  private void registerToken(RouteSpec spec, Handler handler) {
    String method = spec.method();
    String path = spec.path();
    if (path.startsWith("/proxy/")) {
      // the call is the caller's own business with its upstream; its record is scrubbed
      register(method, path, audited(spec, handler));
      return;
    }
    register(
        method,
        path,
        audited(
            spec,
            ctx -> {
              refuseSecretsForTokenHolder(ctx);
              handler.handle(ctx);
            }));
  }

  /**
   * On a token route: refuses a body string that holds a secret, when the body's token is genuine.
   * Without a genuine token the handler refuses the token first and keeps nothing.
   */
  private void refuseSecretsForTokenHolder(Context ctx) {
    Optional<FreeText> guard = FreeText.of(ctx);
    if (guard.isEmpty()) {
      return;
    }
    Optional<String> field = guard.get().offendingBodyField(ctx);
    if (field.isEmpty() && !RequestIds.unconfirmed(ctx)) {
      return; // nothing to refuse or withhold: the common case, with no token check
    }
    String token;
    try {
      tools.jackson.databind.JsonNode t = Server.JSON.readTree(ctx.bodyAsBytes()).get("token");
      token = t == null || !t.isString() ? "" : t.asString();
    } catch (tools.jackson.core.JacksonException e) {
      return;
    }
    if (genuineToken.test(token)) {
      RequestIds.confirm(ctx);
      field.ifPresent(guard.get()::refuse);
    }
  }

  /** An endpoint that needs no key (health, metrics, the API description). */
  Route open(String method, String path, String summary) {
    return new Route(method, path, "public", Optional.empty(), summary);
  }

  /**
   * Liveness: answers without the store, so it is the one endpoint without an audit record (a store
   * outage must not make an orchestrator restart every node).
   */
  Route liveness(String path, String summary) {
    Route r = new Route("GET", path, "public", Optional.empty(), summary);
    r.audited = false;
    return r;
  }

  /**
   * Wraps a handler so that the request leaves a durable audit record before its answer: the
   * services' own record when they wrote one (a grant, a refusal, a change), else a {@code request}
   * record written here. A refused or failed request is recorded too, and its problem document
   * carries the {@code audit_ref}. When no record can be made durable the answer is 503 (fail
   * closed). A streaming endpoint is recorded before its first byte.
   */
  private Handler audited(RouteSpec spec, Handler inner) {
    String route = spec.method() + " " + spec.path();
    return ctx -> {
      Origin origin = Origin.of(RequestIds.of(ctx), ctx.ip(), route);
      Origin.bind(origin);
      try {
        inner.handle(ctx);
      } catch (Exception e) {
        Problem p = Problems.from(e, ctx);
        if (!p.extra().containsKey("audit_ref") && !(e instanceof StoreUnavailableException)) {
          try {
            long offset = record(ctx, spec, "deny", p.status(), p.title());
            p = Problems.withAuditRef(p, AuditLog.ref(offset));
          } catch (StoreUnavailableException unavailable) {
            p = Problems.from(unavailable, ctx);
          }
        }
        Problems.write(ctx, p);
        return;
      } finally {
        Origin.clear();
      }
      if (origin.recorded().isEmpty()) {
        try {
          Origin.bind(origin);
          record(ctx, spec, "allow", ctx.statusCode(), "served");
        } catch (StoreUnavailableException unavailable) {
          Problems.write(ctx, Problems.from(unavailable, ctx));
        } finally {
          Origin.clear();
        }
      }
    };
  }

  private long record(Context ctx, RouteSpec spec, String decision, int status, String reason) {
    Caller caller = ctx.attribute(CALLER);
    AuditEntry.Builder e =
        AuditEntry.of(
                status == 401 ? "auth.fail" : "request",
                caller == null ? "anonymous" : caller.principal(),
                decision)
            .status(status)
            .reason(reason);
    String id = ctx.pathParamMap().get("id");
    if (id != null) {
      if (spec.path().startsWith("/secrets/")) {
        e.secret(id);
      } else if (spec.path().startsWith("/tokens/")) {
        e.token(id);
      } else {
        e.subject(id);
      }
    }
    if (status == 401) {
      String presented = ctx.header("Authorization");
      if (presented != null && !presented.isBlank()) {
        e.hashed("credential", audit.hash(presented.trim()));
      }
    }
    return audit.record(e.build());
  }

  List<RouteSpec> specs() {
    return List.copyOf(specs);
  }

  private void register(String method, String path, Handler handler) {
    switch (method) {
      case "GET" -> routes.get(path, handler);
      case "POST" -> routes.post(path, handler);
      case "PUT" -> routes.put(path, handler);
      case "PATCH" -> routes.patch(path, handler);
      case "DELETE" -> routes.delete(path, handler);
      case "HEAD" -> routes.head(path, handler);
      case "OPTIONS" -> routes.options(path, handler);
      default -> throw new IllegalArgumentException("unsupported method " + method);
    }
  }

  private Caller authenticate(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new AuthenticationException();
    }
    Caller caller = access.authenticate(header.substring(7).trim());
    ctx.attribute(CALLER, caller);
    return caller;
  }

  /**
   * A route being declared: its body, parameters and answers, then its handler. A route must
   * declare what it answers ({@link #answers}, {@link #noContent} or {@link #answersWith}) before
   * {@link #handle} or {@link #serve}: registering one without fails at startup, naming the route.
   */
  final class Route {
    private final String method;
    private final String path;
    private final String auth;
    private final Optional<Scope> scope;
    private final String summary;
    private Optional<Class<?>> body = Optional.empty();
    private boolean bodyRequired;
    private List<String> bodyTypes = List.of("application/json");
    private int status = 200;
    private boolean streaming;
    private boolean audited = true;
    private final List<RouteSpec.Param> params = new ArrayList<>();
    private final List<RouteSpec.Answer> answers = new ArrayList<>();
    private Optional<RouteSpec.Example> example = Optional.empty();

    private Route(String method, String path, String auth, Optional<Scope> scope, String summary) {
      this.method = method;
      this.path = path;
      this.auth = auth;
      this.scope = scope;
      this.summary = summary;
    }

    /** The request body's record type; its {@link io.secretsapi.Required} fields are required. */
    Route body(Class<?> type) {
      this.body = Optional.of(type);
      this.bodyRequired = true;
      return this;
    }

    /** A body the request may leave out (the handler reads it with {@code readOptional}). */
    Route optionalBody(Class<?> type) {
      this.body = Optional.of(type);
      this.bodyRequired = false;
      return this;
    }

    /** The media types the body may be sent as; {@code application/json} unless said. */
    Route bodyTypes(String... mediaTypes) {
      this.bodyTypes = List.of(mediaTypes);
      return this;
    }

    /** The success status, 200 unless said; set it before {@link #answers}. */
    Route status(int code) {
      this.status = code;
      return this;
    }

    /** The endpoint streams its answer: its record is made before the first byte. */
    Route streaming() {
      this.streaming = true;
      return this;
    }

    /** An optional query parameter the handler reads. */
    Route query(String name, Map<String, Object> schema, String description) {
      params.add(new RouteSpec.Param(name, "query", false, schema, description));
      return this;
    }

    /** A query parameter the request must carry. */
    Route requiredQuery(String name, Map<String, Object> schema, String description) {
      params.add(new RouteSpec.Param(name, "query", true, schema, description));
      return this;
    }

    /** An optional request header the handler reads. */
    Route header(String name, String description) {
      params.add(new RouteSpec.Param(name, "header", false, JsonSchema.string(), description));
      return this;
    }

    /** The success answer: {@code application/json} of {@code schema}, at {@link #status}. */
    Route answers(Map<String, Object> schema) {
      return answersWith(status, "application/json", schema);
    }

    Route answers(JsonSchema.Obj schema) {
      return answers(schema.build());
    }

    /** An answer at {@code code} in {@code mediaType}; a media type given twice adds a choice. */
    Route answersWith(int code, String mediaType, Map<String, Object> schema) {
      for (int i = 0; i < answers.size(); i++) {
        RouteSpec.Answer a = answers.get(i);
        if (a.status() == code) {
          Map<String, Map<String, Object>> content = new java.util.LinkedHashMap<>(a.content());
          content.put(mediaType, schema);
          answers.set(i, new RouteSpec.Answer(code, a.description(), content));
          return this;
        }
      }
      answers.add(
          new RouteSpec.Answer(
              code,
              code < 300 ? "success" : "answered with the same shape",
              Map.of(mediaType, schema)));
      return this;
    }

    /** The success answer has no body. */
    Route noContent() {
      answers.add(new RouteSpec.Answer(status, "no content", Map.of()));
      return this;
    }

    /** An example request body (null: none) and its answer, shown in the document. */
    Route example(Object request, Object answer) {
      this.example = Optional.of(new RouteSpec.Example(Optional.ofNullable(request), answer));
      return this;
    }

    private RouteSpec spec() {
      if (answers.isEmpty()) {
        throw new IllegalStateException(
            "route "
                + method
                + " "
                + path
                + " declares no answer: add .answers(schema) (or .noContent(), .answersWith(status,"
                + " mediaType, schema)) before its handler; see docs/design/0020-openapi-from-the-route-table.md");
      }
      RouteSpec spec =
          new RouteSpec(
              method,
              path,
              auth,
              scope,
              summary,
              body,
              bodyRequired,
              status,
              audited,
              tag,
              bodyTypes,
              List.copyOf(params),
              List.copyOf(answers),
              example);
      specs.add(spec);
      return spec;
    }

    /** Registers a route that needs no API key: public, token or liveness. */
    void serve(Handler handler) {
      if (auth.equals("scope") || auth.equals("key")) {
        throw new IllegalStateException(method + " " + path + " needs a key: use handle");
      }
      RouteSpec spec = spec();
      if (auth.equals("token")) {
        registerToken(spec, handler);
      } else if (!spec.audited()) {
        register(method, path, handler);
      } else {
        register(method, path, audited(spec, handler));
      }
    }

    void handle(CallerHandler handler) {
      if (!auth.equals("scope") && !auth.equals("key")) {
        throw new IllegalStateException(method + " " + path + " takes no key: use serve");
      }
      RouteSpec spec = spec();
      Optional<Scope> needed = scope;
      boolean stream = streaming;
      register(
          method,
          path,
          audited(
              spec,
              ctx -> {
                Caller caller = authenticate(ctx);
                RequestIds.confirm(ctx);
                needed.ifPresent(caller::require);
                FreeText.of(ctx).ifPresent(g -> g.check(ctx));
                if (stream) {
                  record(ctx, spec, "allow", 200, "stream opened");
                }
                handler.handle(ctx, caller);
              }));
    }
  }
}
