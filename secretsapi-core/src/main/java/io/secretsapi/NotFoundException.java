package io.secretsapi;

/**
 * The object does not exist, or the caller may not know that it exists.
 *
 * <p>An object owned by another service account is reported as not found, so that existence does
 * not leak across accounts.
 */
public class NotFoundException extends SecretsApiException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String kind, String id) {
    super("not-found", kind + " " + id + " not found");
  }
}
