package io.secretsapi.rotation;

/**
 * A rotator could not make, check or retire a value. The message is a lowercase fact that never
 * carries a value: it becomes the rotation's {@code failure} and an audit record's reason.
 */
final class RotatorException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  RotatorException(String message) {
    super(message);
  }

  RotatorException(String message, Throwable cause) {
    super(message, cause);
  }
}
