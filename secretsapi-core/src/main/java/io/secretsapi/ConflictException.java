package io.secretsapi;

/** The request conflicts with the current state, such as a name already in use. */
public class ConflictException extends SecretsApiException {
  private static final long serialVersionUID = 1L;
  private final String field;

  public ConflictException(String field, String message) {
    super("conflict", message);
    this.field = field;
  }

  /** The field whose value conflicts. */
  public String field() {
    return field;
  }
}
