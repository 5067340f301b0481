package io.secretsapi.proxy;

import io.secretsapi.ValidationException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Checks what a caller asks the proxy to reach: the host as the scope names hosts, and the path as
 * a plain absolute path. Anything that could make the path mean something else to the upstream than
 * to the scope check (dot segments, encoded slashes or dots, backslashes, empty segments, control
 * characters) is refused rather than normalized.
 */
public final class ProxyPaths {
  private static final Pattern HOST =
      Pattern.compile(
          "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*(:[0-9]{1,5})?");

  private ProxyPaths() {}

  /** The host, lowercased, when it is a plain DNS name or IPv4 address with an optional port. */
  public static String host(String host) {
    String h = host == null ? "" : host.toLowerCase(Locale.ROOT);
    if (!isHost(h)) {
      throw new ValidationException(
          "host",
          "host",
          "host must be a name such as api.openai.com, or four decimal octets, with an optional"
              + " port of 1 to 65535");
    }
    return h;
  }

  /**
   * True when {@code h} (lowercase) is a DNS name or an IPv4 address in its one canonical spelling
   * (four decimal octets of 0 to 255 without leading zeros), with an optional port of 1 to 65535
   * without leading zeros. A name whose last label is all digits ({@code 127.1}, {@code 127.0.1},
   * {@code 2130706433}) is no DNS name, and resolvers and URI parsers read it differently (an
   * address, a registry name without a host): it is refused, as is any other spelling of an
   * address, so that a scope's host and the address reached are written one way only.
   */
  public static boolean isHost(String h) {
    if (h == null || h.length() > 260 || !HOST.matcher(h).matches()) {
      return false;
    }
    int colon = h.indexOf(':');
    String name = colon < 0 ? h : h.substring(0, colon);
    if (colon > 0) {
      String port = h.substring(colon + 1);
      int n = Integer.parseInt(port);
      if (n < 1 || n > 65535 || port.charAt(0) == '0') {
        return false;
      }
    }
    String[] labels = name.split("\\.");
    if (!labels[labels.length - 1].chars().allMatch(c -> c >= '0' && c <= '9')) {
      return true; // a DNS name: its top label is not a number
    }
    if (labels.length != 4) {
      return false;
    }
    for (String octet : labels) {
      if (!octet.chars().allMatch(c -> c >= '0' && c <= '9')
          || octet.length() > 3
          || (octet.length() > 1 && octet.charAt(0) == '0')
          || Integer.parseInt(octet) > 255) {
        return false;
      }
    }
    return true;
  }

  /**
   * True when {@code raw} starts with '/' and holds only unreserved and sub-delim characters, ':',
   * '@', '/' and well-formed %XX escapes; no ';' (servers that strip path parameters read "/..;/"
   * as "/../"). A linear scan: a regular expression here overflowed the stack on long input.
   */
  private static boolean plainChars(String raw) {
    if (raw.charAt(0) != '/') {
      return false;
    }
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length() || !hex(raw.charAt(i + 1)) || !hex(raw.charAt(i + 2))) {
          return false;
        }
        i += 2;
      } else if (!((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "-._~!$&'()*+,=:@/".indexOf(c) >= 0)) {
        return false;
      }
    }
    return true;
  }

  private static boolean hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /** The raw path, when it is a plain absolute path; refused otherwise, naming the rule. */
  public static String path(String raw) {
    if (raw == null || raw.isEmpty()) {
      return "/";
    }
    if (raw.length() > 4096) {
      throw new ValidationException("path", "length", "the path must be at most 4096 characters");
    }
    if (!plainChars(raw) || raw.contains("//")) {
      throw new ValidationException(
          "path",
          "path",
          "the path must be absolute, without empty segments or unusual characters");
    }
    String lower = raw.toLowerCase(Locale.ROOT);
    if (lower.contains("%2e")
        || lower.contains("%2f")
        || lower.contains("%5c")
        || lower.contains("%00")
        || lower.contains("%25")) {
      throw new ValidationException(
          "path",
          "encoding",
          "the path must not encode dots, slashes, backslashes or percent signs");
    }
    for (String seg : raw.split("/")) {
      if (seg.equals(".") || seg.equals("..")) {
        throw new ValidationException(
            "path", "dot-segment", "the path must not have . or .. segments");
      }
    }
    return raw;
  }
}
