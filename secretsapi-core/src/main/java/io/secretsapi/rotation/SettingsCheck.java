package io.secretsapi.rotation;

import io.secretsapi.Durations;
import io.secretsapi.ValidationException;
import io.secretsapi.net.AddressGuard;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The checks of {@link RotationSettings.Input}; each names the field at fault and the rule. */
final class SettingsCheck {
  static final Set<String> ROTATORS = Set.of("generated", "webhook", "postgresql");
  static final Duration MAX_GRACE = Duration.ofDays(30);
  static final Duration DEFAULT_GRACE = Duration.ofHours(1);
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  static final int DEFAULT_LENGTH = 32;

  private SettingsCheck() {}

  static String rotator(String rotator) {
    if (rotator == null || !ROTATORS.contains(rotator)) {
      throw new ValidationException(
          "rotator", "enum", "rotator must be generated, webhook or postgresql");
    }
    return rotator;
  }

  static Duration grace(String grace) {
    if (grace == null) {
      return DEFAULT_GRACE;
    }
    Duration g = Durations.parse("grace", grace);
    if (g.isNegative() || g.compareTo(MAX_GRACE) > 0) {
      throw new ValidationException("grace", "range", "grace must be between 0s and 30d");
    }
    return g;
  }

  static Duration every(String every) {
    if (every == null) {
      return Duration.ZERO;
    }
    Duration e = Durations.parse("every", every);
    if (!e.isZero()
        && (e.compareTo(Duration.ofMinutes(5)) < 0 || e.compareTo(Duration.ofDays(366)) > 0)) {
      throw new ValidationException("every", "range", "every must be 0 or between 5m and 366d");
    }
    return e;
  }

  static Duration timeout(String timeout) {
    if (timeout == null) {
      return DEFAULT_TIMEOUT;
    }
    Duration t = Durations.parse("timeout", timeout);
    if (t.compareTo(Duration.ofMillis(100)) < 0 || t.compareTo(Duration.ofSeconds(60)) > 0) {
      throw new ValidationException("timeout", "range", "timeout must be between 100ms and 60s");
    }
    return t;
  }

  static int length(Integer length) {
    int n = length == null ? DEFAULT_LENGTH : length;
    if (n < 16 || n > 256) {
      throw new ValidationException("length", "range", "length must be between 16 and 256");
    }
    return n;
  }

  /** A named alphabet ({@link Generator#NAMED}) or the characters themselves. */
  static String alphabet(String alphabet) {
    String a = alphabet == null ? "alnum" : alphabet;
    if (Generator.NAMED.containsKey(a)) {
      return a;
    }
    if (a.length() < 2 || a.length() > 128 || a.chars().distinct().count() != a.length()) {
      throw new ValidationException(
          "alphabet",
          "characters",
          "alphabet must be alnum, hex, base64url, printable, or 2 to 128 distinct characters");
    }
    if (!a.chars().allMatch(c -> c > 32 && c < 127)) {
      throw new ValidationException(
          "alphabet", "characters", "alphabet characters must be printable ASCII without spaces");
    }
    return a;
  }

  static Optional<String> webhookUrl(String rotator, String url, boolean allowInternal) {
    if (!rotator.equals("webhook")) {
      absent("webhook_url", url, "webhook");
      return Optional.empty();
    }
    URI u = httpUrl("webhook_url", url);
    try {
      AddressGuard.resolve(u.getHost(), allowInternal);
    } catch (AddressGuard.BlockedAddressException e) {
      throw new ValidationException(
          "webhook_url", "public-address", "webhook_url host " + e.getMessage());
    }
    return Optional.of(u.toString());
  }

  static Optional<String> postgresUrl(String rotator, String url) {
    if (!rotator.equals("postgresql")) {
      absent("postgres_url", url, "postgresql");
      return Optional.empty();
    }
    if (url == null) {
      throw new ValidationException(
          "postgres_url", "required", "postgres_url is required for the postgresql rotator");
    }
    URI u;
    try {
      u = new URI(url);
    } catch (URISyntaxException e) {
      throw new ValidationException(
          "postgres_url", "format", "postgres_url must look like postgresql://host:port/database");
    }
    if (!"postgresql".equals(u.getScheme())
        || u.getHost() == null
        || u.getPath() == null
        || u.getPath().length() < 2) {
      throw new ValidationException(
          "postgres_url", "format", "postgres_url must look like postgresql://host:port/database");
    }
    if (u.getRawUserInfo() != null) {
      throw new ValidationException(
          "postgres_url",
          "no-credentials",
          "postgres_url must not carry credentials; name them with postgres_admin_secret");
    }
    return Optional.of(url);
  }

  static List<String> postgresRoles(String rotator, List<String> roles) {
    if (!rotator.equals("postgresql")) {
      if (roles != null && !roles.isEmpty()) {
        throw new ValidationException(
            "postgres_roles", "absent", "postgres_roles is only for the postgresql rotator");
      }
      return List.of();
    }
    if (roles == null || roles.size() != 2 || roles.get(0).equals(roles.get(1))) {
      throw new ValidationException(
          "postgres_roles", "two-roles", "postgres_roles must name two different roles");
    }
    for (String r : roles) {
      if (r == null || !r.matches("[a-z_][a-z0-9_]{0,62}")) {
        throw new ValidationException(
            "postgres_roles",
            "identifier",
            "each role must be a lowercase PostgreSQL identifier ([a-z_][a-z0-9_]*, at most 63)");
      }
    }
    return List.copyOf(roles);
  }

  static void absent(String field, Object value, String rotator) {
    if (value != null) {
      throw new ValidationException(
          field, "absent", field + " is only for the " + rotator + " rotator");
    }
  }

  private static URI httpUrl(String field, String url) {
    if (url == null || url.isBlank()) {
      throw new ValidationException(field, "required", field + " is required for this rotator");
    }
    URI u;
    try {
      u = new URI(url);
    } catch (URISyntaxException e) {
      throw new ValidationException(field, "format", field + " must be an absolute http(s) URL");
    }
    if (!("https".equals(u.getScheme()) || "http".equals(u.getScheme())) || u.getHost() == null) {
      throw new ValidationException(field, "format", field + " must be an absolute http(s) URL");
    }
    if (u.getRawUserInfo() != null || u.getRawFragment() != null) {
      throw new ValidationException(
          field, "format", field + " must carry no credentials and no fragment");
    }
    return u;
  }
}
