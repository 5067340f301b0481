package io.secretsapi.token;

import io.secretsapi.ValidationException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where a token may reach through the proxy: hosts, HTTP methods and path prefixes. An empty list
 * places no limit of its kind. A child's upstream must be a subset of its parent's: every host and
 * method among the parent's, every path prefix inside one of the parent's.
 */
public record Upstream(List<String> hosts, List<String> methods, List<String> pathPrefixes) {
  /** The HTTP methods a scope may allow, and so the methods the proxy answers. */
  public static final List<String> METHODS =
      List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

  public static Upstream any() {
    return new Upstream(List.of(), List.of(), List.of());
  }

  /** Validates and normalizes: hosts lowercase, methods uppercase, prefixes starting with '/'. */
  public static Upstream of(
      String field, List<String> hosts, List<String> methods, List<String> prefixes) {
    List<String> h = new ArrayList<>();
    for (String x : nullSafe(hosts)) {
      String v = x == null ? "" : x.toLowerCase(Locale.ROOT);
      if (!io.secretsapi.proxy.ProxyPaths.isHost(v)) {
        throw new ValidationException(
            field + ".hosts",
            "host",
            field
                + ".hosts must hold host names such as api.openai.com, or four decimal octets,"
                + " each with an optional port of 1 to 65535");
      }
      h.add(v);
    }
    List<String> m = new ArrayList<>();
    for (String x : nullSafe(methods)) {
      String v = x == null ? "" : x.toUpperCase(Locale.ROOT);
      if (!METHODS.contains(v)) {
        throw new ValidationException(
            field + ".methods",
            "enum",
            field + ".methods must hold HTTP methods such as GET or POST");
      }
      m.add(v);
    }
    List<String> p = new ArrayList<>();
    for (String x : nullSafe(prefixes)) {
      if (x == null
          || !x.startsWith("/")
          || x.contains("..")
          || x.contains("//")
          || x.length() > 512
          || x.chars().anyMatch(c -> c < 0x21 || c == '?' || c == '#' || c == '%')) {
        throw new ValidationException(
            field + ".path_prefixes",
            "path",
            field + ".path_prefixes must be absolute paths without '..', '//', '%', '?' or '#'");
      }
      p.add(x);
    }
    return new Upstream(dedupe(h), dedupe(m), dedupe(p));
  }

  /** True when every reach of this upstream is inside {@code parent}'s. */
  public boolean within(Upstream parent) {
    return subset(hosts, parent.hosts)
        && subset(methods, parent.methods)
        && prefixesWithin(parent.pathPrefixes);
  }

  private static boolean subset(List<String> child, List<String> parent) {
    return parent.isEmpty() || (!child.isEmpty() && parent.containsAll(child));
  }

  private boolean prefixesWithin(List<String> parent) {
    if (parent.isEmpty()) {
      return true;
    }
    if (pathPrefixes.isEmpty()) {
      return false;
    }
    return pathPrefixes.stream().allMatch(c -> parent.stream().anyMatch(p -> under(c, p)));
  }

  private static boolean under(String child, String parent) {
    return child.equals(parent)
        || (child.startsWith(parent)
            && (parent.endsWith("/") || child.charAt(parent.length()) == '/'));
  }

  /**
   * Why a call to {@code host} with {@code method} on {@code path} is outside this upstream, or
   * empty when it is inside. A proxied call needs named hosts: an empty host list reaches nothing.
   * {@code path} must already be checked as a plain absolute path (no dot segments, no encoded
   * separators); prefixes match whole segments ({@code /v1} covers {@code /v1/x}, not {@code
   * /v1x}).
   */
  public Optional<String> refuses(String host, String method, String path) {
    if (hosts.isEmpty() || !hosts.contains(host.toLowerCase(Locale.ROOT))) {
      return Optional.of("host " + host + " is not among the scope's upstream hosts");
    }
    if (!methods.isEmpty() && !methods.contains(method.toUpperCase(Locale.ROOT))) {
      return Optional.of("method " + method + " is not among the scope's upstream methods");
    }
    if (!pathPrefixes.isEmpty() && pathPrefixes.stream().noneMatch(p -> under(path, p))) {
      return Optional.of("path " + path + " is under none of the scope's path prefixes");
    }
    return Optional.empty();
  }

  /** The JSON shape: {@code hosts}, {@code methods}, {@code path_prefixes}. */
  public Map<String, Object> toMap() {
    return Map.of("hosts", hosts, "methods", methods, "path_prefixes", pathPrefixes);
  }

  private static List<String> nullSafe(List<String> l) {
    return l == null ? List.of() : l;
  }

  private static List<String> dedupe(List<String> l) {
    return List.copyOf(new LinkedHashSet<>(l));
  }
}
