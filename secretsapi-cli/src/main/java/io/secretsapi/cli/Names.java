package io.secretsapi.cli;

import io.secretsapi.client.SecretsApiClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Turns what a person typed for an object into its id: the id as it is, or a name looked up through
 * the list endpoint's filter ({@code ?name=}, {@code ?url=} for webhooks). The API keeps ids
 * canonical; this is the one place the CLI maps names to them.
 *
 * <p>A typed value of an id's form ({@code sec_} and base32 for a secret) is taken as the id, with
 * no lookup; anything else is a name. A name that matches nothing fails as the broker's {@code 404}
 * would ({@link CliException#REFUSED}); one that matches several lists them, ids and names, and
 * fails as a usage error, since the person must say which.
 *
 * <p>A whole API key ({@code sk_<id>_<secret>}, design 0004) is cut to its id here, before anything
 * is sent: the key never goes into a URL, a query or an error message.
 */
final class Names {
  /** An API key with its secret part, whole or cut short: {@code sk_} + 16 base32 + {@code _}. */
  private static final Pattern WHOLE_KEY = Pattern.compile("sk_[a-z2-7]{16}_.*", Pattern.DOTALL);

  /** The kinds of object a person names, with their id prefix and how the API lists them. */
  enum Kind {
    SECRET("secret", "sec_", "/secrets?status=active&limit=500&name=", "name", "environment"),
    SERVICE_ACCOUNT("service account", "sak_", "/service-accounts?name=", "name", "status"),
    API_KEY("API key", "sk_", "/api-keys?name=", "name", "service_account_id"),
    WEBHOOK("webhook", "whk_", "/webhooks?url=", "url", "status");

    final String noun;
    final String prefix;
    final String lookup;
    final String nameField;
    final String detailField;

    Kind(String noun, String prefix, String lookup, String nameField, String detailField) {
      this.noun = noun;
      this.prefix = prefix;
      this.lookup = lookup;
      this.nameField = nameField;
      this.detailField = detailField;
    }
  }

  private Names() {}

  /** The id {@code typed} stands for, asking the broker only when it is a name. */
  static String id(SecretsApiClient client, Kind kind, String typed) {
    String t = typed == null ? "" : typed.strip();
    if (t.isEmpty()) {
      throw CliException.usage("give a " + kind.noun + " id or name");
    }
    if (WHOLE_KEY.matcher(t).matches()) {
      if (kind != Kind.API_KEY) {
        throw CliException.usage(
            "that is an API key, not a " + kind.noun + "; it was not sent anywhere");
      }
      return t.substring(0, "sk_".length() + 16);
    }
    if (io.secretsapi.Ids.looksLike(kind.prefix, t)) {
      return t;
    }
    JsonNode items;
    try {
      items =
          client
              .call("GET", kind.lookup + URLEncoder.encode(t, StandardCharsets.UTF_8), null)
              .get("items");
    } catch (io.secretsapi.client.ApiException e) {
      if (e.status() != 403) {
        throw e;
      }
      throw new CliException(
          CliException.REFUSED,
          "cannot look up the "
              + kind.noun
              + " "
              + kind.nameField
              + " "
              + t
              + ": this key may not list them (it lacks "
              + e.problem().path("required_scope").asString("the scope")
              + "); give the id ("
              + kind.prefix
              + "...)");
    }
    List<JsonNode> found = new ArrayList<>();
    items.forEach(found::add);
    if (found.size() == 1) {
      return found.get(0).get("id").asString();
    }
    if (found.isEmpty()) {
      throw new CliException(
          CliException.REFUSED,
          "no "
              + kind.noun
              + " "
              + kind.nameField
              + " "
              + t
              + " is visible to this key (ids look like "
              + kind.prefix
              + "...)");
    }
    StringBuilder m =
        new StringBuilder(
            found.size()
                + " "
                + kind.noun
                + "s have the "
                + kind.nameField
                + " "
                + t
                + "; give the id of the one you mean:");
    for (JsonNode f : found) {
      m.append(
          String.format(
              Locale.ROOT,
              "%n  %-22s %-28s %s",
              f.get("id").asString(),
              f.get(kind.nameField).asString(),
              kind.detailField + " " + text(f.get(kind.detailField))));
    }
    throw CliException.usage(m.toString());
  }

  /** The id, or {@code null} for an option that was not given. */
  static String idOrNull(SecretsApiClient client, Kind kind, String typed) {
    return typed == null ? null : id(client, kind, typed);
  }

  private static String text(JsonNode v) {
    return v == null || v.isNull() ? "-" : v.asString();
  }

  /**
   * A token id: as typed ({@code tok_...}), or read from a file holding the token itself (its
   * {@code jti} claim, decoded here: the token is not sent to name itself).
   */
  static String tokenId(String typed) {
    if (io.secretsapi.Ids.looksLike("tok_", typed)) {
      return typed;
    }
    java.nio.file.Path file = java.nio.file.Path.of(typed);
    if (!java.nio.file.Files.isRegularFile(file)) {
      throw CliException.usage("give a token id (tok_...) or a file holding the token");
    }
    try {
      String[] parts = java.nio.file.Files.readString(file).strip().split("\\.");
      JsonNode claims =
          ClientOptions.Compact.MAPPER.readTree(java.util.Base64.getUrlDecoder().decode(parts[1]));
      return claims.get("jti").asString();
    } catch (java.io.IOException | RuntimeException e) {
      throw CliException.usage(typed + " holds no token");
    }
  }
}
