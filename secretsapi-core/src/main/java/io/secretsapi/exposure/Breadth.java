package io.secretsapi.exposure;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/**
 * How much a grant (or the broadest scope of a secret) may do, in 0..1: the mean of operations (of
 * proxy, reveal, derive), upstream hosts (full at 3), methods (none listed: every method, full),
 * path prefixes (none listed, or {@code /}: every path, full), the time to live (full at 1 h) and
 * uses left (no limit: full; else full at 100).
 */
final class Breadth {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** A breadth with what it was made from. */
  record Value(double value, String detail) {
    static final Value NONE = new Value(0, "no scope or grant seen");
  }

  private Breadth() {}

  /**
   * The breadth of a grant or scope stored with {@code operations} (space-separated), {@code
   * upstream} (the stored JSON), a time to live and the uses it has left (empty: no limit).
   */
  static Value of(String operations, String upstream, long ttlMs, Optional<Long> usesLeft) {
    int ops = operations.isBlank() ? 0 : operations.trim().split("\\s+").length;
    Map<?, ?> u = JSON.readValue(upstream, Map.class);
    int hosts = size(u.get("hosts"));
    int methods = size(u.get("methods"));
    List<?> prefixes = u.get("path_prefixes") instanceof List<?> l ? l : List.of();
    double opsV = ops / 3.0;
    double hostsV = Math.min(1, hosts / 3.0);
    double methodsV = methods == 0 ? 1 : Math.min(1, methods / 7.0);
    double pathsV =
        prefixes.isEmpty() || prefixes.contains("/") ? 1 : Math.min(1, prefixes.size() / 4.0);
    double ttlV = Math.min(1, ttlMs / 3_600_000.0);
    double usesV = usesLeft.map(n -> Math.min(1, n / 100.0)).orElse(1.0);
    double v = (opsV + hostsV + methodsV + pathsV + ttlV + usesV) / 6;
    return new Value(
        v,
        String.format(
            Locale.ROOT,
            "%d operations, %d hosts, %s methods, %s paths, ttl %ds, %s uses left",
            ops,
            hosts,
            methods == 0 ? "all" : String.valueOf(methods),
            prefixes.isEmpty() ? "all" : String.valueOf(prefixes.size()),
            ttlMs / 1000,
            usesLeft.map(String::valueOf).orElse("unlimited")));
  }

  private static int size(Object list) {
    return list instanceof List<?> l ? l.size() : 0;
  }
}
