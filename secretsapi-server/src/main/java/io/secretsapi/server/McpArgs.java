package io.secretsapi.server;

import io.secretsapi.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The arguments of one tool call, read by name: a missing or mistyped argument is refused naming
 * it, as a bad field of an HTTP body is. {@code toString} prints the names only (an argument may
 * hold a token).
 */
final class McpArgs {
  private final Map<String, Object> values;

  McpArgs(Map<String, Object> values) {
    this.values = values == null ? Map.of() : values;
  }

  String string(String name) {
    return optString(name)
        .orElseThrow(() -> new ValidationException(name, "required", name + " is required"));
  }

  Optional<String> optString(String name) {
    Object v = values.get(name);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof String s)) {
      throw new ValidationException(name, "type", name + " must be a string");
    }
    return Optional.of(s);
  }

  Optional<Long> optLong(String name) {
    return integer(name)
        .map(
            exact -> {
              if (exact.compareTo(java.math.BigDecimal.valueOf(Long.MIN_VALUE)) < 0
                  || exact.compareTo(java.math.BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
                throw new ValidationException(name, "range", name + " is out of range");
              }
              return exact.longValue();
            });
  }

  /**
   * An integer argument from {@code min} to {@code max}, else {@code fallback}.
   *
   * @throws ValidationException naming it, rule {@code range}, when it is outside them
   */
  int intIn(String name, int min, int max, int fallback) {
    Optional<java.math.BigDecimal> v = integer(name);
    if (v.isPresent()
        && (v.get().compareTo(java.math.BigDecimal.valueOf(min)) < 0
            || v.get().compareTo(java.math.BigDecimal.valueOf(max)) > 0)) {
      throw new ValidationException(
          name, "range", name + " must be between " + min + " and " + max);
    }
    return v.map(java.math.BigDecimal::intValue).orElse(fallback);
  }

  /**
   * The exact value of an integer argument: a {@code BigInteger}'s {@code longValue} keeps its low
   * bits, so 2^32+1 would read as 1 narrowed to an int.
   */
  private Optional<java.math.BigDecimal> integer(String name) {
    Object v = values.get(name);
    if (v == null) {
      return Optional.empty();
    }
    if (v instanceof Number n && !(v instanceof Double d && (d.isNaN() || d.isInfinite()))) {
      java.math.BigDecimal exact = new java.math.BigDecimal(n.toString());
      if (exact.signum() == 0 || exact.stripTrailingZeros().scale() <= 0) {
        return Optional.of(exact);
      }
    }
    throw new ValidationException(name, "type", name + " must be an integer");
  }

  /**
   * Checks the arguments against a tool's input schema (an object of named properties, each a
   * string, integer, boolean, array of strings or object of strings, maybe of an enum; required
   * ones; no others), naming the first argument that does not fit. The message names the argument
   * and the rule only, never its value.
   *
   * @throws ValidationException naming the argument
   */
  void conform(Map<String, Object> schema) {
    Map<?, ?> properties = schema.get("properties") instanceof Map<?, ?> p ? p : Map.of();
    if (schema.get("required") instanceof List<?> required) {
      for (Object r : required) {
        if (values.get(String.valueOf(r)) == null) {
          throw new ValidationException(String.valueOf(r), "required", r + " is required");
        }
      }
    }
    for (Map.Entry<String, Object> a : values.entrySet()) {
      String name = a.getKey();
      if (!(properties.get(name) instanceof Map<?, ?> property)) {
        if (Boolean.FALSE.equals(schema.get("additionalProperties"))) {
          throw new ValidationException(
              "arguments",
              "unknown",
              "an argument is not one of this tool's: " + String.join(", ", names(properties)));
        }
        continue;
      }
      if (a.getValue() == null) {
        continue;
      }
      switch (String.valueOf(property.get("type"))) {
        case "string" -> optString(name);
        case "integer" -> integer(name);
        case "boolean" -> optBoolean(name);
        case "array" -> optStrings(name);
        case "object" -> {
          if (property.containsKey("properties")) {
            optObject(name);
          } else {
            stringMap(name);
          }
        }
        default -> {}
      }
      if (property.get("enum") instanceof List<?> allowed && !allowed.contains(a.getValue())) {
        throw new ValidationException(
            name, "enum", name + " must be one of " + String.join(", ", names(allowed)));
      }
    }
  }

  private static List<String> names(java.util.Collection<?> c) {
    return c.stream().map(String::valueOf).sorted().toList();
  }

  private static List<String> names(Map<?, ?> m) {
    return names(m.keySet());
  }

  Optional<Boolean> optBoolean(String name) {
    Object v = values.get(name);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof Boolean b)) {
      throw new ValidationException(name, "type", name + " must be true or false");
    }
    return Optional.of(b);
  }

  Optional<List<String>> optStrings(String name) {
    Object v = values.get(name);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof List<?> list)) {
      throw new ValidationException(name, "type", name + " must be an array of strings");
    }
    List<String> out = new ArrayList<>();
    for (Object o : list) {
      if (!(o instanceof String s)) {
        throw new ValidationException(name, "type", name + " must be an array of strings");
      }
      out.add(s);
    }
    return Optional.of(out);
  }

  Optional<McpArgs> optObject(String name) {
    Object v = values.get(name);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof Map<?, ?> m)) {
      throw new ValidationException(name, "type", name + " must be an object");
    }
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    m.forEach((k, x) -> out.put(String.valueOf(k), x));
    return Optional.of(new McpArgs(out));
  }

  Map<String, String> stringMap(String name) {
    Object v = values.get(name);
    if (v == null) {
      return Map.of();
    }
    if (!(v instanceof Map<?, ?> m)) {
      throw new ValidationException(name, "type", name + " must be an object of strings");
    }
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (!(e.getKey() instanceof String k) || !(e.getValue() instanceof String s)) {
        throw new ValidationException(name, "type", name + " must be an object of strings");
      }
      out.put(k, s);
    }
    return out;
  }

  @Override
  public String toString() {
    return "McpArgs" + values.keySet();
  }
}
