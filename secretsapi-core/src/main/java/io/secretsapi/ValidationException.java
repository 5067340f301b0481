package io.secretsapi;

import static java.util.Objects.requireNonNull;

/** Input broke a rule: names the field at fault and the rule it broke. */
public class ValidationException extends SecretsApiException {
  private static final long serialVersionUID = 1L;
  private final String field;
  private final String rule;

  public ValidationException(String field, String rule, String message) {
    super("validation", message);
    this.field = requireNonNull(field, "field");
    this.rule = requireNonNull(rule, "rule");
  }

  /** The JSON field (or query parameter) at fault, such as {@code name} or {@code tags[2]}. */
  public String field() {
    return field;
  }

  /** The rule that was broken, such as {@code required} or {@code max_length}. */
  public String rule() {
    return rule;
  }
}
