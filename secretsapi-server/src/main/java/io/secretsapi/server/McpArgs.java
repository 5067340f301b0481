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
    Object v = values.get(name);
    if (v == null) {
      return Optional.empty();
    }
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      return Optional.of(n.longValue());
    }
    throw new ValidationException(name, "type", name + " must be an integer");
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
