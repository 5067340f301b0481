package io.secretsapi.rotation;

/**
 * The {@code generated} rotator: the broker makes the value, of the secret's length and alphabet.
 */
final class GeneratedRotator implements Rotator {
  @Override
  public String make(Context c) {
    return Generator.value(c.settings().length(), c.settings().alphabet());
  }
}
