package io.secretsapi;

/** The request conflicts with the current state, such as a name already in use. */
public class ConflictException extends SecretsApiException {
  private static final long serialVersionUID = 1L;
  private final String field;
  private final String rule;

  public ConflictException(String field, String message) {
    this(field, "unique", message);
  }

  /** A conflict that breaks {@code rule} rather than uniqueness, such as {@code pending_limit}. */
  public ConflictException(String field, String rule, String message) {
    super("conflict", message);
    this.field = field;
    this.rule = rule;
  }

  /** The rule the request breaks: {@code unique} unless another is named. */
  public String rule() {
    return rule;
  }

  /** The field whose value conflicts. */
  public String field() {
    return field;
  }
}
