package io.secretsapi.server;

import static java.util.Objects.requireNonNull;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.secretsapi.access.AccessService;
import io.secretsapi.access.AuthenticationException;
import io.secretsapi.access.Caller;
import io.secretsapi.access.Scope;
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

  /** A handler that runs for an authenticated caller. */
  @FunctionalInterface
  interface CallerHandler {
    void handle(Context ctx, Caller caller) throws Exception;
  }

  private final RoutesConfig routes;
  private final AccessService access;
  private final List<RouteSpec> specs = new ArrayList<>();

  Api(RoutesConfig routes, AccessService access) {
    this.routes = requireNonNull(routes, "routes");
    this.access = requireNonNull(access, "access");
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
   * An endpoint authenticated by a scoped token rather than an API key (derive, resolve): the
   * handler verifies the token itself, through the one verifier.
   */
  void token(String method, String path, String summary, Class<?> body, Handler handler) {
    specs.add(
        new RouteSpec(method, path, "token", Optional.empty(), summary, Optional.of(body), 200));
    register(method, path, handler);
  }

  /** An endpoint that needs no key (health, metrics, the API description). */
  void open(String method, String path, String summary, Handler handler) {
    specs.add(
        new RouteSpec(method, path, "public", Optional.empty(), summary, Optional.empty(), 200));
    register(method, path, handler);
  }

  List<RouteSpec> specs() {
    return List.copyOf(specs);
  }

  private void register(String method, String path, Handler handler) {
    switch (method) {
      case "GET" -> routes.get(path, handler);
      case "POST" -> routes.post(path, handler);
      case "PUT" -> routes.put(path, handler);
      case "DELETE" -> routes.delete(path, handler);
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

  /** A route being declared: its body type and success status, then its handler. */
  final class Route {
    private final String method;
    private final String path;
    private final String auth;
    private final Optional<Scope> scope;
    private final String summary;
    private Optional<Class<?>> body = Optional.empty();
    private int status = 200;

    private Route(String method, String path, String auth, Optional<Scope> scope, String summary) {
      this.method = method;
      this.path = path;
      this.auth = auth;
      this.scope = scope;
      this.summary = summary;
    }

    Route body(Class<?> type) {
      this.body = Optional.of(type);
      return this;
    }

    Route status(int code) {
      this.status = code;
      return this;
    }

    void handle(CallerHandler handler) {
      specs.add(new RouteSpec(method, path, auth, scope, summary, body, status));
      Optional<Scope> needed = scope;
      register(
          method,
          path,
          ctx -> {
            Caller caller = authenticate(ctx);
            needed.ifPresent(caller::require);
            handler.handle(ctx, caller);
          });
    }
  }
}
