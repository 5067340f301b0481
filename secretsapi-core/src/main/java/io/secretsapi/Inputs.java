package io.secretsapi;

import java.util.regex.Pattern;

/** Checks shared by the features for names, slugs and free text. Each names the field at fault. */
public final class Inputs {
  private static final Pattern SLUG = Pattern.compile("[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?");

  private Inputs() {}

  /** A required lowercase slug such as {@code model-access}: letters, digits, {@code . _ -}. */
  public static String slug(String field, String value, int max) {
    String v = required(field, value, max);
    if (!SLUG.matcher(v).matches() || v.contains("..")) {
      throw new ValidationException(
          field,
          "slug",
          field
              + " must be lowercase letters, digits, '.', '_' or '-', starting and ending with"
              + " a letter or digit");
    }
    return v;
  }

  /** A required name such as {@code openai-prod-key}: letters, digits, {@code . _ -}. */
  public static String name(String field, String value, int max) {
    String v = required(field, value, max);
    if (!NAME.matcher(v).matches() || v.contains("..")) {
      throw new ValidationException(
          field,
          "name",
          field
              + " must be letters, digits, '.', '_' or '-', starting and ending with a letter or"
              + " digit, without '..'");
    }
    return v;
  }

  /** Free text of at most {@code max} characters with no control characters; may be empty. */
  public static String text(String field, String value, int max) {
    if (value == null) {
      return "";
    }
    if (value.length() > max) {
      throw new ValidationException(
          field, "max_length", field + " must be at most " + max + " characters");
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw new ValidationException(
            field, "no_control_characters", field + " must not contain control characters");
      }
    }
    return value.strip();
  }

  /** A required, non-blank string of at most {@code max} characters. */
  public static String required(String field, String value, int max) {
    if (value == null || value.isBlank()) {
      throw new ValidationException(
          field, "required", field + " is required and must not be empty");
    }
    if (value.length() > max) {
      throw new ValidationException(
          field, "max_length", field + " must be at most " + max + " characters");
    }
    return value;
  }
}
