package io.secretsapi.token;

import io.secretsapi.ValidationException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where a token may reach through the proxy: hosts, HTTP methods and path prefixes. This record is
 * the one definition of that reach, used by the proxy ({@link #refuses}), derivation ({@link
 * #narrow}), introspection and the signed token alike. An empty list reads the same everywhere:
 *
 * <ul>
 *   <li>{@code hosts} empty: no host. A proxied call needs a named host.
 *   <li>{@code methods} empty: every method of {@link #METHODS}.
 *   <li>{@code path_prefixes} empty: every path.
 * </ul>
 *
 * <p>A child's reach is the intersection of what it asks with its parent's, for every kind; a
 * request naming a host, method or prefix outside the parent's is refused rather than silently
 * dropped, and a kind it leaves empty (no limit) takes the parent's list.
 */
public record Upstream(List<String> hosts, List<String> methods, List<String> pathPrefixes) {
  /** The HTTP methods a scope may allow, and so the methods the proxy answers. */
  public static final List<String> METHODS =
      List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

  /** The reach of a scope defined without {@code upstream}: no host, so the proxy reaches none. */
  public static Upstream nowhere() {
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

  /** True when every call this upstream allows, {@code parent} allows too. */
  public boolean within(Upstream parent) {
    return parent.hosts.containsAll(hosts)
        && (parent.methods.isEmpty() || (!methods.isEmpty() && parent.methods.containsAll(methods)))
        && (parent.pathPrefixes.isEmpty()
            || (!pathPrefixes.isEmpty()
                && pathPrefixes.stream()
                    .allMatch(c -> parent.pathPrefixes.stream().anyMatch(p -> under(c, p)))));
  }

  /**
   * A child's reach inside this one: {@code requested} intersected with it. A kind the request
   * leaves without limit (methods or path prefixes empty) takes this upstream's list; hosts are
   * never widened, since an empty host list already reaches nothing.
   *
   * @throws ValidationException naming {@code field} when the request names a host, method or
   *     prefix outside this upstream
   */
  public Upstream narrow(String field, Upstream requested) {
    if (!hosts.containsAll(requested.hosts)) {
      throw new ValidationException(
          field + ".hosts",
          "subset",
          field
              + ".hosts must be among the parent's hosts"
              + (hosts.isEmpty() ? ", and the parent reaches no host" : ": " + hosts));
    }
    List<String> m = requested.methods.isEmpty() ? methods : requested.methods;
    if (!methods.isEmpty() && !methods.containsAll(m)) {
      throw new ValidationException(
          field + ".methods", "subset", field + ".methods must be among the parent's: " + methods);
    }
    List<String> p = requested.pathPrefixes.isEmpty() ? pathPrefixes : requested.pathPrefixes;
    if (!pathPrefixes.isEmpty()
        && !p.stream().allMatch(c -> pathPrefixes.stream().anyMatch(x -> under(c, x)))) {
      throw new ValidationException(
          field + ".path_prefixes",
          "subset",
          field + ".path_prefixes must each be inside one of the parent's: " + pathPrefixes);
    }
    Upstream child = new Upstream(requested.hosts, m, p);
    assert child.within(this);
    return child;
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
