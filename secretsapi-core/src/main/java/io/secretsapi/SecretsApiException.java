package io.secretsapi;

/**
 * Root of every exception the broker throws on purpose.
 *
 * <p>Each subclass names one condition and carries a stable {@link #type() type} slug that the HTTP
 * layer turns into a problem document. Messages are lowercase facts with the offending non-secret
 * value; a secret value never appears in a message.
 */
public class SecretsApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String type;

  public SecretsApiException(String type, String message) {
    super(message);
    this.type = type;
  }

  public SecretsApiException(String type, String message, Throwable cause) {
    super(message, cause);
    this.type = type;
  }

  /** A stable, lowercase slug naming the condition, such as {@code validation}. */
  public String type() {
    return type;
  }
}
