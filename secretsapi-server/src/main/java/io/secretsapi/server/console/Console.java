package io.secretsapi.server.console;

import static java.util.Objects.requireNonNull;

import io.javalin.config.RoutesConfig;
import io.javalin.http.HttpStatus;
import io.secretsapi.BrokerCore;
import java.time.Clock;
import java.util.Optional;

/**
 * The operator console: server-rendered pages under {@code /console} over the same services, scopes
 * and audit trail as the API (docs/design/0022-console.md). {@link #register} adds its routes; each
 * screen is a {@code XxxScreen} class listed in {@link Screens}.
 */
public final class Console {
  private final Sessions sessions;
  private final ConsoleHttp http;
  private final Templates templates;
  private final HeaderBand band;
  private final ConsoleOptions options;
  private final BrokerCore core;
  private final Clock clock;

  private Console(
      RoutesConfig routes, BrokerCore core, ConsoleOptions options, ApiTable api, Clock clock) {
    this.core = core;
    this.options = options;
    this.clock = clock;
    this.sessions =
        new Sessions(
            clock, options.sessionIdle(), options.sessionMax(), core.access()::isKeyActive);
    this.http =
        new ConsoleHttp(
            routes, sessions, api, core.auditBroker(), new SessionCookie(options.tls()));
    this.templates = new Templates();
    this.band = new HeaderBand(core, options, api, clock);
    core.access().onKeyRevoked((h, keyId, at, actor) -> sessions.endForKey(keyId));
  }

  /**
   * Registers the console's routes, and {@code /} and {@code /ui} as redirects to it. Call after
   * the API's routes: the console reads their scopes from the route table.
   */
  public static void register(
      RoutesConfig routes, BrokerCore core, ConsoleOptions options, ApiTable api, Clock clock) {
    Console c =
        new Console(
            requireNonNull(routes, "routes"),
            requireNonNull(core, "core"),
            requireNonNull(options, "options"),
            requireNonNull(api, "api"),
            requireNonNull(clock, "clock"));
    routes.get("/", ctx -> ctx.redirect("/console", HttpStatus.FOUND));
    routes.get("/ui", ctx -> ctx.redirect("/console", HttpStatus.FOUND));
    Assets.register(c.http);
    LoginScreen.register(c);
    HomeScreen.register(c);
    for (Screen s : Screens.ALL) {
      s.routes().accept(c);
    }
  }

  /** The layout's model for {@code session} on the screen {@code active}. */
  Frame frame(Session session, String title, String active) {
    return new Frame(
        title,
        active,
        Screens.visibleTo(session.caller(), http.api()),
        band.of(session.caller()),
        session.caller().principal(),
        session.csrf(),
        Optional.empty(),
        Optional.empty());
  }

  Sessions sessions() {
    return sessions;
  }

  ConsoleHttp http() {
    return http;
  }

  Templates templates() {
    return templates;
  }

  HeaderBand band() {
    return band;
  }

  ConsoleOptions options() {
    return options;
  }

  BrokerCore core() {
    return core;
  }

  Clock clock() {
    return clock;
  }
}
