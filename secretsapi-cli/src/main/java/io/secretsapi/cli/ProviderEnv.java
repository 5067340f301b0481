package io.secretsapi.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The environment variables that point a provider's SDK at the broker's proxy: a base URL and, as
 * the SDK's API key, a scoped token. The OpenAI SDKs read {@code OPENAI_BASE_URL} (with {@code
 * /v1}) and {@code OPENAI_API_KEY}; the Anthropic SDKs {@code ANTHROPIC_BASE_URL} (without {@code
 * /v1}) and {@code ANTHROPIC_API_KEY}. Every provider also gets the generic pair {@code
 * SECRETSAPI_PROXY_URL} ({@code .../proxy/HOST}) and {@code SECRETSAPI_PROXY_TOKEN}.
 */
final class ProviderEnv {
  /** Variables that could hand a command a provider key or point it elsewhere: always replaced. */
  static final List<String> PROVIDER_VARIABLES =
      List.of(
          "OPENAI_API_KEY",
          "OPENAI_BASE_URL",
          "OPENAI_API_BASE",
          "ANTHROPIC_API_KEY",
          "ANTHROPIC_AUTH_TOKEN",
          "ANTHROPIC_BASE_URL",
          "SECRETSAPI_PROXY_URL",
          "SECRETSAPI_PROXY_TOKEN");

  private ProviderEnv() {}

  /** The provider as {@code --provider} names it or the secret records it, in lower case. */
  static String kind(String provider) {
    String p = provider == null ? "" : provider.toLowerCase(Locale.ROOT);
    return switch (p) {
      case "openai", "anthropic" -> p;
      default -> "generic";
    };
  }

  /** The provider's own API host, which a scope naming several hosts is read for. */
  static String defaultHost(String kind) {
    return switch (kind) {
      case "openai" -> "api.openai.com";
      case "anthropic" -> "api.anthropic.com";
      default -> "";
    };
  }

  /**
   * The variables for {@code kind}, with {@code proxy} the proxy's URL for the host (such as {@code
   * http://127.0.0.1:8200/proxy/api.openai.com}).
   */
  static Map<String, String> variables(String kind, String proxy, String token) {
    Map<String, String> v = new LinkedHashMap<>();
    switch (kind) {
      case "openai" -> {
        v.put("OPENAI_BASE_URL", proxy + "/v1");
        v.put("OPENAI_API_KEY", token);
      }
      case "anthropic" -> {
        v.put("ANTHROPIC_BASE_URL", proxy);
        v.put("ANTHROPIC_API_KEY", token);
      }
      default -> {}
    }
    v.put("SECRETSAPI_PROXY_URL", proxy);
    v.put("SECRETSAPI_PROXY_TOKEN", token);
    return v;
  }
}
