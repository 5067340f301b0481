package io.secretsapi.proxy;

import io.secretsapi.Required;
import io.secretsapi.ValidationException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where the proxy (and a validation probe) puts a secret's value in a request: the provider's
 * preset, or a template set on the secret. The vocabulary is OpenAPI's for API keys ({@code in},
 * {@code name}).
 *
 * <ul>
 *   <li>{@code header}: the header {@code name} carries {@code template} with {@code {value}}
 *       replaced, such as {@code Authorization: Bearer {value}} (OpenAI, GitHub, Cloudflare,
 *       Vercel, and any provider without a preset), {@code x-api-key: {value}} (Anthropic), {@code
 *       X-Shopify-Access-Token: {value}} (Shopify), {@code api-key: {value}} (Azure OpenAI);
 *   <li>{@code basic}: HTTP basic, {@code template} being the {@code user:password} pair, {@code
 *       {value}:} (the key as user, no password) for Stripe;
 *   <li>{@code query}: the query parameter {@code name} carries the value; only when a secret says
 *       so, since a query string ends up in the upstream's access logs.
 * </ul>
 *
 * @param in {@code header}, {@code basic} or {@code query}
 * @param name the header, or the query parameter, that carries the value
 * @param template the header's value, or basic's pair, around {@code {value}}; the value itself for
 *     a query parameter
 * @param source {@code preset} (from the secret's provider) or {@code secret} (set on the secret)
 */
public record Injection(String in, String name, String template, String source) {
  public static final String VALUE = "{value}";
  public static final Injection BEARER =
      new Injection("header", "Authorization", "Bearer {value}", "preset");
  private static final Injection ANTHROPIC = new Injection("header", "x-api-key", VALUE, "preset");
  private static final Injection SHOPIFY =
      new Injection("header", "X-Shopify-Access-Token", VALUE, "preset");
  private static final Injection STRIPE =
      new Injection("basic", "Authorization", VALUE + ":", "preset");

  /** A value that cannot travel the way its secret says; the message never holds the value. */
  public static final class UnfitValueException extends io.secretsapi.SecretsApiException {
    private static final long serialVersionUID = 1L;

    UnfitValueException(String message) {
      super("unfit-value", message);
    }
  }

  /** What an operator sends to set where a secret is injected; checked by {@link #of}. */
  public record Spec(@Required String in, String name, String template) {}

  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}");
  private static final Pattern QUERY_NAME = Pattern.compile("[A-Za-z0-9._~-]{1,64}");

  /** Headers the proxy sets or removes itself: a secret cannot be injected into them. */
  private static final Set<String> RESERVED_HEADERS =
      Set.of(
          "host",
          "connection",
          "keep-alive",
          "proxy-authorization",
          "proxy-authenticate",
          "proxy-connection",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "http2-settings",
          "content-length",
          "content-type",
          "content-encoding",
          "accept-encoding",
          "forwarded",
          "expect");

  /** The preset for {@code provider} (case-insensitive); Bearer for any other. */
  public static Injection forProvider(String provider) {
    return switch (provider == null ? "" : provider.toLowerCase(Locale.ROOT)) {
      case "anthropic" -> ANTHROPIC;
      case "shopify" -> SHOPIFY;
      case "stripe" -> STRIPE;
      default -> BEARER;
    };
  }

  /**
   * Checks what an operator sent and answers the injection it names.
   *
   * @throws ValidationException naming the field ({@code injection.in}, {@code injection.name},
   *     {@code injection.template}) and the rule it broke
   */
  public static Injection of(Spec spec) {
    if (spec == null || spec.in() == null) {
      throw new ValidationException(
          "injection.in", "required", "injection.in is required: header, basic or query");
    }
    return switch (spec.in()) {
      case "header" -> {
        String name = spec.name();
        if (name == null || !TOKEN.matcher(name).matches()) {
          throw new ValidationException(
              "injection.name",
              "header_name",
              "injection.name must be an HTTP header name of 1 to 64 letters, digits or"
                  + " !#$%&'*+.^_`|~-");
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (RESERVED_HEADERS.contains(lower) || lower.startsWith("x-forwarded-")) {
          throw new ValidationException(
              "injection.name",
              "reserved",
              "injection.name must not be " + name + ", which the proxy sets or removes itself");
        }
        yield new Injection("header", name, template(spec.template()), "secret");
      }
      case "basic" -> {
        if (spec.name() != null && !spec.name().equalsIgnoreCase("Authorization")) {
          throw new ValidationException(
              "injection.name", "absent", "injection.name must be absent for basic: Authorization");
        }
        String pair = spec.template() == null ? VALUE + ":" : template(spec.template());
        if (!pair.contains(":")) {
          throw new ValidationException(
              "injection.template",
              "basic_pair",
              "injection.template must be a user:password pair for basic, such as {value}: or"
                  + " api:{value}");
        }
        yield new Injection("basic", "Authorization", pair, "secret");
      }
      case "query" -> {
        if (spec.name() == null || !QUERY_NAME.matcher(spec.name()).matches()) {
          throw new ValidationException(
              "injection.name",
              "query_name",
              "injection.name must be a query parameter name of 1 to 64 letters, digits or ._~-");
        }
        if (spec.template() != null && !spec.template().equals(VALUE)) {
          throw new ValidationException(
              "injection.template",
              "absent",
              "injection.template must be absent for query: the parameter carries the value");
        }
        yield new Injection("query", spec.name(), VALUE, "secret");
      }
      default ->
          throw new ValidationException(
              "injection.in", "enum", "injection.in must be header, basic or query");
    };
  }

  /**
   * The injection a secret's row names: its own when {@code in} is set (checked when it was set),
   * its provider's preset when not.
   */
  public static Injection stored(String in, String name, String template, String provider) {
    return in == null ? forProvider(provider) : new Injection(in, name, template, "secret");
  }

  private static String template(String template) {
    if (template == null) {
      return VALUE;
    }
    if (template.length() > 128) {
      throw new ValidationException(
          "injection.template", "max_length", "injection.template must be at most 128 characters");
    }
    for (int i = 0; i < template.length(); i++) {
      char c = template.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        throw new ValidationException(
            "injection.template",
            "visible_ascii",
            "injection.template must be printable ASCII (a header value)");
      }
    }
    int at = template.indexOf(VALUE);
    if (at < 0 || template.indexOf(VALUE, at + 1) >= 0) {
      throw new ValidationException(
          "injection.template",
          "one_value",
          "injection.template must hold {value} exactly once, such as Bearer {value}");
    }
    return template;
  }

  /** True when the value travels in a header ({@code header} or {@code basic}). */
  public boolean inHeader() {
    return !in.equals("query");
  }

  /** The header that carries the value; empty when it travels in the query. */
  public String header() {
    return inHeader() ? name : "";
  }

  /**
   * The header's value that carries {@code value}.
   *
   * @throws UnfitValueException when the value cannot travel in the header as it is: a header line
   *     carries visible ASCII, spaces and tabs, and anything else would be mangled on the way (a
   *     line break replaced, a non-ASCII letter turned into {@code ?}), so the upstream would
   *     refuse a key the broker never said it changed
   */
  public String headerValue(String value) {
    if (in.equals("header")) {
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if ((c < 0x20 && c != '\t') || c > 0x7e) {
          throw new UnfitValueException(
              "the secret's value holds a control or non-ASCII character, which the "
                  + name
                  + " header cannot carry; inject it with basic or query instead");
        }
      }
    }
    String filled = template.replace(VALUE, value);
    return in.equals("basic")
        ? "Basic " + Base64.getEncoder().encodeToString(filled.getBytes(StandardCharsets.UTF_8))
        : filled;
  }

  /**
   * {@code target} with the value in its query for a {@code query} injection (any parameter of the
   * same name the caller sent removed first); {@code target} itself otherwise.
   */
  public URI target(URI target, String value) {
    if (inHeader()) {
      return target;
    }
    StringBuilder query = new StringBuilder();
    String raw = target.getRawQuery();
    if (raw != null && !raw.isEmpty()) {
      for (String pair : raw.split("&", -1)) {
        int eq = pair.indexOf('=');
        String key = eq < 0 ? pair : pair.substring(0, eq);
        if (!pair.isEmpty() && !decode(key).equals(name)) {
          query.append(pair).append('&');
        }
      }
    }
    query.append(name).append('=').append(encode(value));
    return URI.create(
        target.getScheme() + "://" + target.getRawAuthority() + target.getRawPath() + "?" + query);
  }

  /**
   * The strings whose every spelling must be redacted from an answer: the value itself and, for
   * basic, the whole encoded pair. {@link StreamRedactor} adds the spellings an echo produces
   * (percent- and form-encoding, JSON escapes, base64 at any alignment), so the value as encoded in
   * a query string is covered too.
   */
  public List<String> spellings(String value) {
    Set<String> all = new LinkedHashSet<>();
    all.add(value);
    if (in.equals("basic")) {
      all.add(headerValue(value).substring("Basic ".length()));
    }
    return new ArrayList<>(all);
  }

  /** RFC 3986 percent-encoding: everything but the unreserved characters. */
  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8)
        .replace("+", "%20")
        .replace("*", "%2A")
        .replace("%7E", "~");
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }

  @Override
  public String toString() {
    return switch (in) {
      case "query" -> "query parameter " + name;
      case "basic" -> "HTTP basic " + template;
      default -> name + ": " + template;
    };
  }
}
