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
    return new Route(this, method, path, "scope", Optional.of(scope), summary);
  }

  /** An endpoint that any valid key may call; the handler checks the object's owner. */
  Route anyKey(String method, String path, String summary) {
    return new Route(this, method, path, "key", Optional.empty(), summary);
  }

  /**
   * An endpoint authenticated by a scoped token rather than an API key (derive, resolve, the
   * proxy): the handler verifies the token itself, through the one verifier. Finish with {@link
   * Route#serve}.
   */
  Route token(String method, String path, String summary) {
    return new Route(this, method, path, "token", Optional.empty(), summary);
  }

  /**
   * The routes registered through the answer carry {@code tag}: the feature they belong to, as the
   * API description groups them.
   */
  Api feature(String tag) {
    return new Api(this, tag);
  }

  void registerToken(RouteSpec spec, Handler handler) {
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

  /** An endpoint that needs no key and is audited (the API description, the key sets). */
  Route open(String method, String path, String summary) {
    return new Route(this, method, path, "public", Optional.empty(), summary);
  }

  /**
   * A probe ({@link Probes#ENDPOINTS}: liveness, readiness, the metrics scrape): a public {@code
   * GET} that machines call on a schedule, counted by {@link Probes} instead of audited (design
   * 0019). Liveness also answers without the store, so that a store outage does not make an
   * orchestrator restart every node.
   */
  Route probe(String path, String summary) {
    return new Route(this, "GET", path, "public", Optional.empty(), summary).notAudited();
  }

  /**
   * Wraps a handler so that the request leaves a durable audit record before its answer: the
   * services' own record when they wrote one (a grant, a refusal, a change), else a {@code request}
   * record written here. A refused or failed request is recorded too, and its problem document
   * carries the {@code audit_ref}. When no record can be made durable the answer is 503 (fail
   * closed). A streaming endpoint is recorded before its first byte.
   */
  Handler audited(RouteSpec spec, Handler inner) {
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

  long record(Context ctx, RouteSpec spec, String decision, int status, String reason) {
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

  /** The feature the routes registered through this view belong to. */
  String tag() {
    return tag;
  }

  void add(RouteSpec spec) {
    specs.add(spec);
  }

  List<RouteSpec> specs() {
    return List.copyOf(specs);
  }

  void register(String method, String path, Handler handler) {
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

  Caller authenticate(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new AuthenticationException();
    }
    Caller caller = access.authenticate(header.substring(7).trim());
    ctx.attribute(CALLER, caller);
    return caller;
  }
}
