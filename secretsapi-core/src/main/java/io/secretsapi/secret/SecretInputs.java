package io.secretsapi.secret;

import io.secretsapi.Ids;
import io.secretsapi.Inputs;
import io.secretsapi.ValidationException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The vault's checks of a secret's value and tags; each names the field at fault. */
final class SecretInputs {
  private static final int MAX_VALUE_LENGTH = 16 * 1024;

  private SecretInputs() {}

  /** The value to store: {@code value} checked, or a fresh one for a generated secret. */
  static String value(String kind, String value) {
    if (kind.equals("generated")) {
      if (value != null) {
        throw new ValidationException(
            "value",
            "absent",
            "value must be absent for a generated secret: the broker generates it");
      }
      return Base64.getUrlEncoder().withoutPadding().encodeToString(Ids.randomBytes(32));
    }
    if (value == null || value.isEmpty()) {
      throw new ValidationException("value", "required", "value is required and must not be empty");
    }
    if (value.length() > MAX_VALUE_LENGTH) {
      throw new ValidationException(
          "value", "max_length", "value must be at most " + MAX_VALUE_LENGTH + " characters");
    }
    return value;
  }

  /** Tags checked: slugs, at most 32, each once. */
  static List<String> tags(List<String> in) {
    if (in == null) {
      return List.of();
    }
    if (in.size() > 32) {
      throw new ValidationException("tags", "max_items", "tags must hold at most 32 entries");
    }
    Set<String> seen = new HashSet<>();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < in.size(); i++) {
      String t = Inputs.slug("tags[" + i + "]", in.get(i), 64);
      if (!seen.add(t)) {
        throw new ValidationException("tags[" + i + "]", "unique", "tags names " + t + " twice");
      }
      out.add(t);
    }
    return List.copyOf(out);
  }
}
