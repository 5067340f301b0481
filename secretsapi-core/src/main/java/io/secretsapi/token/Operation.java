package io.secretsapi.token;

import io.secretsapi.ValidationException;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** What a scope lets a token do with its secret. */
public enum Operation {
  /** Call the allowed upstream through the broker's proxy, the secret injected. */
  PROXY,
  /** Resolve the raw value, for the services that must hold it. */
  REVEAL,
  /** Narrow the token into a child token. */
  DERIVE;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a non-empty list of unique operation names. */
  public static Set<Operation> parseAll(String field, List<String> names) {
    if (names == null || names.isEmpty()) {
      throw new ValidationException(
          field, "required", field + " must name at least one of proxy, reveal, derive");
    }
    Set<Operation> out = EnumSet.noneOf(Operation.class);
    for (int i = 0; i < names.size(); i++) {
      String n = names.get(i);
      Operation op =
          switch (n == null ? "" : n) {
            case "proxy" -> PROXY;
            case "reveal" -> REVEAL;
            case "derive" -> DERIVE;
            default ->
                throw new ValidationException(
                    field + "[" + i + "]",
                    "enum",
                    field + "[" + i + "] must be proxy, reveal or derive");
          };
      if (!out.add(op)) {
        throw new ValidationException(
            field + "[" + i + "]", "unique", field + " names " + n + " twice");
      }
    }
    return out;
  }

  public static String join(Set<Operation> ops) {
    return ops.stream().map(Operation::wire).collect(Collectors.joining(" "));
  }

  public static Set<Operation> split(String joined) {
    Set<Operation> out = EnumSet.noneOf(Operation.class);
    for (String s : joined.split(" ")) {
      if (!s.isEmpty()) {
        out.add(valueOf(s.toUpperCase(Locale.ROOT)));
      }
    }
    return out;
  }

  public static List<String> wires(Set<Operation> ops) {
    return ops.stream().map(Operation::wire).toList();
  }
}
