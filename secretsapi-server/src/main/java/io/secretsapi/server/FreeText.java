package io.secretsapi.server;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Keeps caller text that carries a secret out of everything the broker keeps or says. Every
 * request's path parameters, query parameters and body strings are looked at before its handler
 * runs; one that holds a credential's shape, a stored secret's value or an API key's secret part
 * (the audit {@link io.secretsapi.audit.Redactor}'s test) is refused naming its field, and is
 * neither kept nor repeated. The fields whose purpose is to carry such a value are exempt: a
 * secret's {@code value}, a presented {@code token} and a signed {@code attestation}.
 *
 * <p>Behind that check, every problem document goes through {@link #sanitize}: a detail or field
 * that would repeat such text is replaced. Problem documents carry no caller text that a request
 * without credentials controls (their {@code instance} is the route template), so that replacing is
 * never an answer to an unauthenticated guess.
 */
final class FreeText {
  static final String ATTRIBUTE = "secretsapi.free_text";

  /** Body fields that carry a value, a token or a signed statement by design. */
  private static final Set<String> EXEMPT = Set.of("value", "token", "attestation");

  private static final tools.jackson.dataformat.yaml.YAMLMapper YAML =
      tools.jackson.dataformat.yaml.YAMLMapper.builder().build();

  private final Predicate<String> holdsSecret;

  FreeText(Predicate<String> holdsSecret) {
    this.holdsSecret = requireNonNull(holdsSecret, "holdsSecret");
  }

  /** The guard of this server, as the first before-handler put it on the request. */
  static Optional<FreeText> of(Context ctx) {
    return Optional.ofNullable(ctx.attribute(ATTRIBUTE));
  }

  boolean holdsSecret(String text) {
    return text != null && holdsSecret.test(text);
  }

  /**
   * Refuses the request when a path parameter, a query parameter or a body string (other than the
   * exempt fields) holds a secret.
   *
   * @throws BadRequestException naming the field, rule {@code secret_value}
   */
  void check(Context ctx) {
    for (Map.Entry<String, String> p : ctx.pathParamMap().entrySet()) {
      refuseIfSecret(p.getKey(), p.getValue());
    }
    for (Map.Entry<String, List<String>> q : ctx.queryParamMap().entrySet()) {
      refuseIfSecret("query", q.getKey());
      for (String v : q.getValue()) {
        refuseIfSecret(q.getKey(), v);
      }
    }
    offendingBodyField(ctx).ifPresent(this::refuse);
  }

  /** The first body field (a JSON path, or {@code body} for other media) holding a secret. */
  Optional<String> offendingBodyField(Context ctx) {
    byte[] bytes = Bodies.bytes(ctx);
    if (bytes.length == 0) {
      return Optional.empty();
    }
    String ct = String.valueOf(ctx.contentType()).toLowerCase(Locale.ROOT);
    if (ct.startsWith("application/json")) {
      JsonNode tree;
      try {
        tree = Server.JSON.readTree(bytes);
      } catch (JacksonException malformed) {
        return Optional.empty(); // refused as malformed where it is read, without repeating it
      }
      return walk(tree, "", EXEMPT::contains);
    }
    String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    if (ct.startsWith("application/x-www-form-urlencoded")) {
      return form(text);
    }
    if (holdsSecret(text)) {
      return Optional.of("body");
    }
    if (ct.contains("yaml")) {
      // a YAML escape ("\x41", "\u0041") spells a value the raw text does not show
      try {
        return walk(YAML.readTree(text), "", EXEMPT::contains);
      } catch (JacksonException malformed) {
        return Optional.empty(); // refused as malformed where it is read
      }
    }
    return Optional.empty();
  }

  /**
   * The first argument of a tool call (an MCP request's {@code arguments}) holding a secret, by its
   * name, outside {@code exempt} (the arguments that carry a token or a body to forward by design).
   */
  Optional<String> offendingArgument(Map<String, Object> args, Set<String> exempt) {
    if (args == null) {
      return Optional.empty();
    }
    for (Map.Entry<String, Object> a : args.entrySet()) {
      if (holdsSecret(a.getKey())) {
        return Optional.of("arguments");
      }
      if (exempt.contains(a.getKey()) || a.getValue() == null) {
        continue;
      }
      Optional<String> f =
          walk(Server.JSON.valueToTree(a.getValue()), a.getKey(), EXEMPT::contains);
      if (f.isPresent()) {
        return f;
      }
    }
    return Optional.empty();
  }

  /** As {@link #walk}, for a form body (RFC 7662's introspection takes one). */
  private Optional<String> form(String text) {
    for (String pair : text.split("&")) {
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      if (holdsSecret(name)) {
        return Optional.of("body");
      }
      if (!EXEMPT.contains(name) && holdsSecret(value)) {
        return Optional.of(name);
      }
    }
    return Optional.empty();
  }

  private static String decode(String s) {
    try {
      return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      return s;
    }
  }

  /**
   * The first member of {@code tree} (a JSON path) that holds a secret, or whose name does (then
   * the path of the object holding it), skipping the members whose path {@code exempt} accepts.
   */
  Optional<String> offendingField(JsonNode tree, Predicate<String> exempt) {
    return walk(tree, "", exempt);
  }

  private Optional<String> walk(JsonNode n, String path, Predicate<String> exempt) {
    if (n.isString()) {
      return holdsSecret(n.asString())
          ? Optional.of(path.isEmpty() ? "body" : path)
          : Optional.empty();
    }
    if (n.isArray()) {
      for (int i = 0; i < n.size(); i++) {
        Optional<String> f = walk(n.get(i), path + "[" + i + "]", exempt);
        if (f.isPresent()) {
          return f;
        }
      }
    } else if (n.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = n.properties().iterator(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
        if (holdsSecret(e.getKey())) {
          return Optional.of(path.isEmpty() ? "body" : path);
        }
        if (exempt.test(child)) {
          continue;
        }
        Optional<String> f = walk(e.getValue(), child, exempt);
        if (f.isPresent()) {
          return f;
        }
      }
    }
    return Optional.empty();
  }

  private void refuseIfSecret(String field, String value) {
    if (holdsSecret(value)) {
      refuse(holdsSecret(field) ? "query" : field);
    }
  }

  /**
   * @throws BadRequestException naming {@code field}, rule {@code secret_value}
   */
  void refuse(String field) {
    throw new BadRequestException(
        field,
        "secret_value",
        field
            + " holds a credential or the value of a stored secret: the broker neither keeps nor"
            + " repeats it");
  }

  /** {@code p} with any detail, instance or field that would repeat a secret replaced. */
  Problem sanitize(Problem p, Context ctx) {
    boolean detail = holdsSecret(p.detail());
    boolean field = p.field().map(this::holdsSecret).orElse(false);
    boolean title = holdsSecret(p.title());
    if (!detail && !field && !title) {
      return p;
    }
    return new Problem(
        p.type(),
        title ? "Bad request" : p.title(),
        p.status(),
        detail
            ? "the request holds a credential or the value of a stored secret, which this answer"
                + " does not repeat"
            : p.detail(),
        p.instance(),
        field ? Optional.of("request") : p.field(),
        p.rule(),
        p.requiredScope(),
        p.extra());
  }

  /** {@code text} for a log line, or a placeholder when it would carry a secret. */
  static String loggable(Context ctx, String text) {
    return of(ctx).filter(g -> g.holdsSecret(text)).isPresent()
        ? "(withheld: holds a secret)"
        : text;
  }
}
