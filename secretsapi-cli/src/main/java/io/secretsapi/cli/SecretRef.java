package io.secretsapi.cli;

import io.secretsapi.client.SecretsApiClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A secret as a person types it: its id ({@code sec_...}) or its name. A name is looked up in the
 * masked listing ({@code GET /secrets}, page by page) and must match exactly one active secret;
 * when several match, the error names their ids. The lookup is in {@link #byName} alone, so a
 * {@code ?name=} filter on the listing replaces the paging loop without touching the callers.
 */
final class SecretRef {
  private static final Pattern ID = Pattern.compile("sec_[A-Za-z0-9]{1,40}");
  private static final int PAGE = 500;

  private SecretRef() {}

  /** The masked view of the secret named by {@code idOrName}. */
  static JsonNode resolve(SecretsApiClient client, String idOrName) {
    if (isId(idOrName)) {
      return client.getSecret(idOrName);
    }
    return byName(client, idOrName);
  }

  /** Whether {@code text} is written as a secret id rather than a name. */
  static boolean isId(String text) {
    return ID.matcher(text).matches();
  }

  private static JsonNode byName(SecretsApiClient client, String name) {
    List<JsonNode> matches = new ArrayList<>();
    int offset = 0;
    while (true) {
      JsonNode page =
          client.listSecrets(
              Map.of("sort", "name", "limit", String.valueOf(PAGE), "offset", "" + offset));
      JsonNode items = page.get("items");
      for (JsonNode s : items) {
        if (name.equals(s.get("name").asString())) {
          matches.add(s);
        }
      }
      offset += items.size();
      if (items.isEmpty() || offset >= page.get("total").asLong()) {
        break;
      }
    }
    if (matches.isEmpty()) {
      throw new CliException(CliException.REFUSED, "no active secret is named " + name);
    }
    if (matches.size() > 1) {
      throw CliException.usage(
          "several secrets are named "
              + name
              + ": "
              + String.join(", ", matches.stream().map(s -> s.get("id").asString()).toList())
              + "; give the id");
    }
    return matches.get(0);
  }
}
