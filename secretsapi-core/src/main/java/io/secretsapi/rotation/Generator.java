package io.secretsapi.rotation;

import java.security.SecureRandom;
import java.util.Map;

/**
 * Makes the values of the {@code generated} rotator: uniform over an alphabet, from SecureRandom.
 */
final class Generator {
  static final Map<String, String> NAMED =
      Map.of(
          "alnum", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
          "hex", "0123456789abcdef",
          "base64url", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
          "printable",
              "!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~");
  private static final SecureRandom RANDOM = new SecureRandom();

  private Generator() {}

  /** {@code length} characters of {@code alphabet} (a name of {@link #NAMED} or the characters). */
  static String value(int length, String alphabet) {
    String chars = NAMED.getOrDefault(alphabet, alphabet);
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(chars.charAt(RANDOM.nextInt(chars.length()))); // nextInt(n) is unbiased
    }
    return out.toString();
  }
}
