package io.secretsapi;

import java.security.SecureRandom;

/** Random object identifiers such as {@code sec_k3v9q2m7x4tb}: a prefix and base32 characters. */
public final class Ids {
  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {}

  /** Returns {@code prefix} followed by {@code length} random base32 characters (5 bits each). */
  public static String random(String prefix, int length) {
    byte[] bytes = new byte[length];
    RANDOM.nextBytes(bytes);
    StringBuilder out = new StringBuilder(prefix.length() + length).append(prefix);
    for (byte b : bytes) {
      out.append(ALPHABET[b & 31]);
    }
    return out.toString();
  }

  /** Fills {@code bytes} from the shared {@link SecureRandom}. */
  public static byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  /** True when {@code id} has the given prefix followed by 1 to 40 base32 characters. */
  public static boolean looksLike(String prefix, String id) {
    if (id == null || !id.startsWith(prefix) || id.length() <= prefix.length()) {
      return false;
    }
    if (id.length() > prefix.length() + 40) {
      return false;
    }
    for (int i = prefix.length(); i < id.length(); i++) {
      char c = id.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '2' && c <= '7') || (c >= '0' && c <= '9'))) {
        return false;
      }
    }
    return true;
  }
}
