package io.secretsapi.server.console;

import static java.util.Objects.requireNonNull;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.secretsapi.ValidationException;
import io.secretsapi.access.Caller;
import io.secretsapi.audit.AuditBroker;
import io.secretsapi.audit.AuditEntry;
import io.secretsapi.audit.Origin;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Registers console routes, each wrapped the same way: security headers, the session (else back to
 * login), the CSRF token on every POST, the API's scope for the endpoint the route stands for, and
 * an audit record as the API would write (the services' own record, else a {@code request} record
 * with the operator's principal). A refused request changes nothing and is recorded too.
 */
final class ConsoleHttp {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ConsoleHttp.class);

  /** A signed-in console handler. */
  @FunctionalInterface
  interface Handling {
    void handle(Context ctx, Session session) throws Exception;
  }

  /** What to answer when a signed-in request is refused: usually the screen, with the refusal. */
  @FunctionalInterface
  interface OnRefusal {
    void answer(Context ctx, Session session, Refusal refusal) throws Exception;
  }

  static final String CSRF_FIELD = "_csrf";
  static final String CSRF_HEADER = "X-CSRF-Token";
  static final String CSP =
      "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

  /** Form fields that carry a credential by design: never checked for one, never kept. */
  private static final Set<String> CARRIERS = Set.of("value", "api_key", CSRF_FIELD);

  private final RoutesConfig routes;
  private final Sessions sessions;
  private final ApiTable api;
  private final AuditBroker audit;
  private final SessionCookie cookie;

  ConsoleHttp(
      RoutesConfig routes,
      Sessions sessions,
      ApiTable api,
      AuditBroker audit,
      SessionCookie cookie) {
    this.routes = requireNonNull(routes, "routes");
    this.sessions = requireNonNull(sessions, "sessions");
    this.api = requireNonNull(api, "api");
    this.audit = requireNonNull(audit, "audit");
    this.cookie = requireNonNull(cookie, "cookie");
  }

  ApiTable api() {
    return api;
  }

  /** The session id the request's cookie carries, for a stream that checks it stays live. */
  Optional<String> sessionId(Context ctx) {
    return cookie.read(ctx);
  }

  /** A route without a session (login, assets): headers only; the handler audits what it does. */
  void open(String method, String path, Handler handler) {
    Handler h =
        ctx -> {
          headers(ctx);
          handler.handle(ctx);
        };
    if (method.equals("GET")) {
      routes.get(path, h);
    } else {
      routes.post(path, h);
    }
  }

  /** A signed-in page that reads what {@code endpoint} (such as {@code GET /secrets}) reads. */
  void page(String path, String endpoint, Handling handler, OnRefusal onRefusal) {
    routes.get(path, signedIn("GET " + path, Optional.of(endpoint), false, handler, onRefusal));
  }

  /** A signed-in page any valid key may open (the overview). */
  void pageAnyKey(String path, Handling handler, OnRefusal onRefusal) {
    routes.get(path, signedIn("GET " + path, Optional.empty(), false, handler, onRefusal));
  }

  /** A signed-in form post that does what {@code endpoint} does; needs the CSRF token. */
  void action(String path, String endpoint, Handling handler, OnRefusal onRefusal) {
    routes.post(path, signedIn("POST " + path, Optional.of(endpoint), true, handler, onRefusal));
  }

  /** A signed-in form post any valid key may send (logout); needs the CSRF token. */
  void actionAnyKey(String path, Handling handler, OnRefusal onRefusal) {
    routes.post(path, signedIn("POST " + path, Optional.empty(), true, handler, onRefusal));
  }

  private Handler signedIn(
      String route,
      Optional<String> endpoint,
      boolean post,
      Handling handler,
      OnRefusal onRefusal) {
    endpoint.ifPresent(api::scopeOf); // an endpoint the route table lacks fails at startup
    return ctx -> {
      headers(ctx);
      Optional<Session> session = cookie.read(ctx).flatMap(sessions::find);
      if (session.isEmpty()) {
        toLogin(ctx);
        return;
      }
      Session s = session.get();
      Origin origin = Origin.of(api.requestId(ctx), ctx.ip(), route);
      Origin.bind(origin);
      try {
        if (post && (SameOrigin.crossSite(ctx) || !s.csrfMatches(csrfOf(ctx)))) {
          refuse(ctx, s, Refusal.csrf(), onRefusal);
          return;
        }
        checkFreeText(ctx);
        endpoint.ifPresent(e -> Scopes.require(s.caller(), api, e));
        handler.handle(ctx, s);
        if (origin.recorded().isEmpty()) {
          record(ctx, s.caller(), "allow", ctx.statusCode(), "served");
        }
      } catch (Exception e) {
        Refusal r = Refusal.of(e);
        if (r.status() == 500) {
          LOG.warn("console {} failed: {}", route, e.toString());
        }
        refuse(ctx, s, r, onRefusal);
      } finally {
        Origin.clear();
      }
    };
  }

  private void refuse(Context ctx, Session s, Refusal r, OnRefusal onRefusal) throws Exception {
    if (Origin.current().recorded().isEmpty()) {
      record(ctx, s.caller(), "deny", r.status(), r.message());
    }
    ctx.status(r.status());
    onRefusal.answer(ctx, s, r);
    ctx.status(r.status());
  }

  /** A {@code request} record, naming the secret of the path as the API's record does. */
  private void record(Context ctx, Caller caller, String decision, int status, String reason) {
    AuditEntry.Builder e =
        AuditEntry.of("request", caller.principal(), decision).status(status).reason(reason);
    String id = ctx.pathParamMap().get("id");
    if (id != null && id.startsWith("sec_") && !api.holdsSecret(id)) {
      e.secret(id);
    }
    audit.record(e.build());
  }

  /** Appends an audit record for the request bound to this thread; answers its offset. */
  long record(Caller caller, String type, String decision, int status, String reason) {
    return audit.record(
        AuditEntry.of(type, caller.principal(), decision).status(status).reason(reason).build());
  }

  AuditBroker audit() {
    return audit;
  }

  private static String csrfOf(Context ctx) {
    String header = ctx.header(CSRF_HEADER);
    return header != null ? header : ctx.formParam(CSRF_FIELD);
  }

  /** Refuses a path, query or form field (other than a carrier) that holds a secret, naming it. */
  private void checkFreeText(Context ctx) {
    ctx.pathParamMap().forEach((k, v) -> check(Map.of(k, List.of(v))));
    check(ctx.queryParamMap());
    if (ctx.method().name().equals("POST")) {
      check(ctx.formParamMap());
    }
  }

  private void check(Map<String, List<String>> fields) {
    for (var f : fields.entrySet()) {
      if (CARRIERS.contains(f.getKey())) {
        continue;
      }
      for (String v : f.getValue()) {
        if (api.holdsSecret(v) || api.holdsSecret(f.getKey())) {
          String field = api.holdsSecret(f.getKey()) ? "form" : f.getKey();
          throw new ValidationException(
              field,
              "secret_value",
              field
                  + " holds a credential or the value of a stored secret: the broker neither keeps"
                  + " nor repeats it");
        }
      }
    }
  }

  static void toLogin(Context ctx) {
    if (ctx.header("HX-Request") != null) {
      ctx.header("HX-Redirect", "/console/login");
      ctx.status(401);
    } else {
      ctx.redirect("/console/login", io.javalin.http.HttpStatus.SEE_OTHER);
    }
  }

  /** The headers of every console answer (docs/design/0022-console.md). */
  static void headers(Context ctx) {
    ctx.header("Content-Security-Policy", CSP);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Cache-Control", "no-store");
  }
}
