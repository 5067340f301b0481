package io.secretsapi.proxy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Where the proxy puts a secret value in a forwarded request: chosen from the secret's provider.
 *
 * <ul>
 *   <li>{@code Authorization: Bearer <value>}: OpenAI, GitHub, Cloudflare, Vercel, and any provider
 *       without a preset;
 *   <li>a named header: {@code x-api-key} (Anthropic), {@code X-Shopify-Access-Token} (Shopify);
 *   <li>HTTP basic with the value as the user and no password: Stripe.
 * </ul>
 *
 * @param header the header that carries the credential
 * @param format {@code bearer}, {@code raw} or {@code basic}
 */
public record Injection(String header, String format) {
  public static final Injection BEARER = new Injection("Authorization", "bearer");

  /** The preset for {@code provider} (case-insensitive); Bearer for any other. */
  public static Injection forProvider(String provider) {
    return switch (provider == null ? "" : provider.toLowerCase(Locale.ROOT)) {
      case "anthropic" -> new Injection("x-api-key", "raw");
      case "shopify" -> new Injection("X-Shopify-Access-Token", "raw");
      case "stripe" -> new Injection("Authorization", "basic");
      default -> BEARER;
    };
  }

  /** The header value that carries {@code value}. */
  public String headerValue(String value) {
    return switch (format) {
      case "bearer" -> "Bearer " + value;
      case "basic" ->
          "Basic "
              + Base64.getEncoder().encodeToString((value + ":").getBytes(StandardCharsets.UTF_8));
      default -> value;
    };
  }

  /**
   * Every spelling of {@code value} that could come back in an answer and must be redacted: the
   * value itself, and for basic the encoded pair.
   */
  public List<String> spellings(String value) {
    return format.equals("basic")
        ? List.of(value, headerValue(value).substring("Basic ".length()))
        : List.of(value);
  }

  @Override
  public String toString() {
    return header + " (" + format + ")";
  }
}
