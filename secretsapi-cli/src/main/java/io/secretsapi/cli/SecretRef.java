package io.secretsapi.cli;

import io.secretsapi.client.SecretsApiClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A secret as a person types it: its id ({@code sec_...}) or its name. A name is looked up through
 * the masked listing's exact filter ({@code GET /secrets?name=}) and must match exactly one active
 * secret; when several match, the error names their ids.
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
    // the listing's exact name filter: one page, whatever the size of the vault
    List<JsonNode> matches = new ArrayList<>();
    client
        .listSecrets(Map.of("name", name, "limit", String.valueOf(PAGE)))
        .get("items")
        .forEach(matches::add);
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
