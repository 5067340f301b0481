package io.secretsapi.server;

import io.javalin.http.Context;
import io.secretsapi.proxy.Injection;
import io.secretsapi.token.InvalidTokenException;
import java.math.BigDecimal;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.client.Response;
import tools.jackson.databind.JsonNode;

/** The pieces of a proxied call that are decided from the request and the answer alone. */
final class ProxyCalls {
  static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "proxy-authenticate",
          "proxy-authorization",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "host",
          "content-length",
          "authorization",
          "accept-encoding",
          "http2-settings");

  private ProxyCalls() {}

  /**
   * True when the caller's header {@code name} may go upstream: not hop-by-hop, not the caller's
   * own credentials, not the header the secret is injected into, not a forwarding header.
   */
  static boolean forwarded(String name, Injection injection) {
    String lower = name.toLowerCase(Locale.ROOT).trim();
    return !lower.isEmpty()
        && !HOP_BY_HOP.contains(lower)
        && !lower.equalsIgnoreCase(injection.header())
        && !lower.startsWith("x-forwarded-")
        && !lower.equals("forwarded")
        && !lower.equals("cookie")
        && !TOKEN_HEADERS.contains(lower);
  }

  /**
   * Headers other than {@code Authorization} in which SDKs send their api key, and so an agent its
   * scoped token: Anthropic's {@code x-api-key}, Azure OpenAI's {@code api-key}, Google's {@code
   * x-goog-api-key}. Never forwarded.
   */
  static final java.util.List<String> TOKEN_HEADERS =
      java.util.List.of("x-api-key", "api-key", "x-goog-api-key");

  /**
   * The scoped token: {@code Authorization: Bearer}, as OpenAI-style SDKs send their api key, or
   * one of {@link #TOKEN_HEADERS} when there is no {@code Authorization}. Either way the broker
   * drops it before forwarding.
   */
  static String bearer(Context ctx) {
    String h = ctx.header("Authorization");
    if (h != null && h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return h.substring(7).trim();
    }
    if (h == null) {
      for (String name : TOKEN_HEADERS) {
        String k = ctx.header(name);
        if (k != null && !k.isBlank()) {
          return k.trim();
        }
      }
    }
    throw new InvalidTokenException(
        "a scoped token is required as Authorization: Bearer (or x-api-key, api-key,"
            + " x-goog-api-key)");
  }

  static BigDecimal amountOf(byte[] body, String field) {
    try {
      JsonNode n = Server.JSON.readTree(body).get(field);
      if (n == null || !n.isNumber()) {
        return null;
      }
      return n.decimalValue();
    } catch (RuntimeException e) {
      return null;
    }
  }

  static boolean sameHost(String location, String host) {
    try {
      URI u = URI.create(location);
      if (u.getHost() == null) {
        return true; // a relative redirect stays on the host
      }
      String h = u.getHost().toLowerCase(Locale.ROOT) + (u.getPort() > 0 ? ":" + u.getPort() : "");
      return h.equals(host) || u.getHost().equalsIgnoreCase(host);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  static boolean isEventStream(Response resp) {
    return Optional.ofNullable(resp.getHeaders().get("Content-Type"))
        .orElse("")
        .startsWith("text/event-stream");
  }

  /** A small answer with a length, read whole and redacted at once, to be sent in one piece. */
  static byte[] readWhole(
      org.eclipse.jetty.client.InputStreamResponseListener listener,
      int length,
      io.secretsapi.proxy.StreamRedactor redactor,
      String auditRef) {
    byte[] whole;
    try (java.io.InputStream in = listener.getInputStream()) {
      whole = in.readNBytes(length + 1);
    } catch (java.io.IOException broke) {
      throw new UpstreamRefusedException(
          "the upstream's answer broke off before its end", auditRef);
    }
    return EventFrames.concat(redactor.next(whole, 0, whole.length), redactor.finish());
  }
}
