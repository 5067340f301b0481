package io.secretsapi.server;

import jakarta.servlet.http.HttpServletResponse;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;

/**
 * The one place a proxied answer's headers are written: each header the upstream sent goes back as
 * often as it was sent, with its value as sent (less any spelling of the credential), and replaces
 * whatever the server had already put under that name (Javalin's default {@code Content-Type:
 * text/plain}, Jetty's {@code Date}, the broker's {@code Cache-Control: no-store}); a {@code
 * Content-Type} the upstream did not send is not made up. Framing and hop-by-hop headers and
 * cookies do not pass: the broker frames its own connection and keeps no session for a caller.
 */
final class ProxyHeaders {
  private ProxyHeaders() {}

  /**
   * Copies {@code upstream}'s headers onto {@code res}, each redacted by {@code redact}: the first
   * line of a name replaces the server's own, the others are added after it.
   */
  static void copy(HttpFields upstream, HttpServletResponse res, UnaryOperator<String> redact) {
    Set<String> written = new HashSet<>();
    for (HttpField f : upstream) {
      String lower = f.getLowerCaseName();
      if (held(lower)) {
        continue;
      }
      String value = redact.apply(f.getValue());
      if (written.add(lower)) {
        res.setHeader(f.getName(), value);
      } else {
        res.addHeader(f.getName(), value);
      }
    }
    if (!written.contains("content-type")) {
      res.setContentType(null); // not made up when the upstream sent none
    }
  }

  /** True when {@code name} is one the proxy never passes back. */
  static boolean held(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return ProxyCalls.HOP_BY_HOP.contains(lower) || lower.startsWith("set-cookie");
  }
}
