package io.secretsapi.access;

import io.secretsapi.ValidationException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** A control-plane permission an API key holds. {@link #ADMIN} holds every other one. */
public enum Scope {
  SECRETS_READ("secrets:read"),
  SECRETS_WRITE("secrets:write"),
  TOKENS_ISSUE("tokens:issue"),
  TOKENS_REVOKE("tokens:revoke"),
  AUDIT_READ("audit:read"),
  EVENTS_READ("events:read"),
  POLICIES_WRITE("policies:write"),
  KEYS_ADMIN("keys:admin"),
  ADMIN("admin");

  private final String wire;

  Scope(String wire) {
    this.wire = wire;
  }

  /** The name on the wire, such as {@code secrets:read}. */
  public String wire() {
    return wire;
  }

  /** Parses one wire name; {@code field} names the input in the error. */
  public static Scope parse(String field, String text) {
    for (Scope s : values()) {
      if (s.wire.equals(text)) {
        return s;
      }
    }
    throw new ValidationException(field, "enum", field + " must be one of " + allWireNames());
  }

  /** Parses a list of wire names, refusing unknown and duplicate entries. */
  public static Set<Scope> parseAll(String field, List<String> names) {
    if (names == null || names.isEmpty()) {
      throw new ValidationException(field, "required", field + " must name at least one scope");
    }
    Set<Scope> out = EnumSet.noneOf(Scope.class);
    for (int i = 0; i < names.size(); i++) {
      Scope s = parse(field + "[" + i + "]", names.get(i));
      if (!out.add(s)) {
        throw new ValidationException(
            field + "[" + i + "]", "unique", field + " names " + s.wire + " twice");
      }
    }
    return out;
  }

  /** Space-separated wire names, in declaration order. */
  public static String join(Set<Scope> scopes) {
    return scopes.stream().map(Scope::wire).collect(Collectors.joining(" "));
  }

  /** The inverse of {@link #join}. */
  public static Set<Scope> split(String joined) {
    Set<Scope> out = EnumSet.noneOf(Scope.class);
    for (String s : joined.split(" ")) {
      if (!s.isEmpty()) {
        out.add(parse("scopes", s));
      }
    }
    return out;
  }

  static String allWireNames() {
    return Arrays.stream(values()).map(Scope::wire).collect(Collectors.joining(", "));
  }
}
