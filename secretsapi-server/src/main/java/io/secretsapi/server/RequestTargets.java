package io.secretsapi.server;

import io.javalin.http.Context;
import io.secretsapi.ValidationException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Checks a request's target before any route reads it: Javalin decodes path parameters and query
 * values with {@link java.net.URLDecoder}, which throws on a malformed escape ({@code %u0041},
 * {@code %zz}, a lone {@code %}), and that surfaced as a 500. A path must be visible ASCII whose
 * {@code %XX} escapes are well formed and decode to UTF-8 text without control characters; a
 * query's escapes must be well formed. Anything else is refused with a problem naming {@code path}
 * or {@code query} before a route runs, so nothing is counted, granted or changed.
 */
final class RequestTargets {
  private RequestTargets() {}

  static void check(Context ctx) {
    String path = ctx.req().getRequestURI();
    if (path != null && !plainPath(path)) {
      throw new ValidationException(
          "path",
          "encoding",
          "the path must be visible ASCII with well-formed %XX escapes of UTF-8 text, without"
              + " %u escapes or control characters");
    }
    String query = ctx.queryString();
    if (query != null && !wellFormedEscapes(query)) {
      throw new ValidationException(
          "query", "encoding", "the query string must hold only well-formed %XX escapes");
    }
  }

  /**
   * True when {@code raw} is visible ASCII, its escapes decode to UTF-8 with no control character.
   */
  static boolean plainPath(String raw) {
    ByteArrayOutputStream decoded = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        return false;
      }
      if (c == '%') {
        int hi = i + 1 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
        int lo = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 2), 16) : -1;
        if (hi < 0 || lo < 0 || raw.charAt(i + 1) > 0x7f || raw.charAt(i + 2) > 0x7f) {
          return false;
        }
        int b = hi * 16 + lo;
        if (b < 0x20 || b == 0x7f) {
          return false;
        }
        decoded.write(b);
        i += 2;
      } else {
        decoded.write(c);
      }
    }
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(decoded.toByteArray()));
      return true;
    } catch (CharacterCodingException notUtf8) {
      return false;
    }
  }

  /** True when every {@code %} in {@code raw} starts a {@code %XX} escape. */
  static boolean wellFormedEscapes(String raw) {
    for (int i = raw.indexOf('%'); i >= 0; i = raw.indexOf('%', i + 1)) {
      if (i + 2 >= raw.length() || !hex(raw.charAt(i + 1)) || !hex(raw.charAt(i + 2))) {
        return false;
      }
    }
    return true;
  }

  private static boolean hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
