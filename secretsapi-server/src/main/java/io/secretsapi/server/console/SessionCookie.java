package io.secretsapi.server.console;

import io.javalin.http.Context;
import java.time.Duration;
import java.util.Optional;

/**
 * The session cookie: {@code HttpOnly}, {@code SameSite=Strict}, {@code Path=/console}; over TLS
 * also {@code Secure} and named with the {@code __Secure-} prefix, which browsers refuse to let a
 * plain-HTTP page set. ({@code __Host-} would require {@code Path=/}, sending the cookie to every
 * API route and the proxy; the narrower path is worth more here.) It holds only the random session
 * id, never the API key.
 */
final class SessionCookie {
  private final String name;
  private final boolean secure;

  SessionCookie(boolean tls) {
    this.secure = tls;
    this.name = tls ? "__Secure-secretsapi-console" : "secretsapi-console";
  }

  String name() {
    return name;
  }

  Optional<String> read(Context ctx) {
    return Optional.ofNullable(ctx.cookie(name)).filter(v -> !v.isEmpty());
  }

  void set(Context ctx, String sessionId, Duration maxAge) {
    ctx.header("Set-Cookie", value(sessionId, maxAge.toSeconds()));
  }

  void clear(Context ctx) {
    ctx.header("Set-Cookie", value("", 0));
  }

  private String value(String id, long maxAge) {
    return name
        + "="
        + id
        + "; Path=/console; Max-Age="
        + maxAge
        + "; HttpOnly; SameSite=Strict"
        + (secure ? "; Secure" : "");
  }
}
