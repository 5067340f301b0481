package io.secretsapi.secret;

import io.secretsapi.ValidationException;
import java.net.URI;
import java.net.URISyntaxException;

/** The form of a secret's validation endpoint: an absolute http(s) URL with a host. */
final class ValidationEndpoint {
  private ValidationEndpoint() {}

  /**
   * Checks {@code url} and returns it: absolute, {@code https} or {@code http}, with a host, and no
   * user information or fragment; at most 2048 characters.
   */
  static String check(String field, String url) {
    try {
      URI u = new URI(url);
      if (url.length() > 2048
          || !("https".equals(u.getScheme()) || "http".equals(u.getScheme()))
          || u.getHost() == null
          || u.getRawUserInfo() != null
          || u.getRawFragment() != null) {
        throw invalid(field);
      }
      return url;
    } catch (URISyntaxException e) {
      throw invalid(field);
    }
  }

  /** The scheme, host and port of a checked URL: what a record may say of it. */
  static String origin(String url) {
    URI u = URI.create(url);
    return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
  }

  private static ValidationException invalid(String field) {
    return new ValidationException(
        field,
        "format",
        field + " must be an absolute http(s) URL with a host and no user information or fragment");
  }
}
