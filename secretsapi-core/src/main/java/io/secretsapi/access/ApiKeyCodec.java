package io.secretsapi.access;

import io.secretsapi.Ids;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;

/**
 * The API key format: {@code sk_} + 16 base32 characters of key id + {@code _} + 43 base64url
 * characters (256 bits from SecureRandom). The key id is public; only SHA-256 of the secret part is
 * stored (the secret has 256 bits of entropy, so a slow hash adds nothing).
 */
final class ApiKeyCodec {
  static final String PREFIX = "sk_";
  private static final int ID_CHARS = 16;
  private static final int SECRET_BYTES = 32;
  private static final int SECRET_CHARS = 43;
  private static final int KEY_ID_LENGTH = PREFIX.length() + ID_CHARS;

  private ApiKeyCodec() {}

  static String newKeyId() {
    return Ids.random(PREFIX, ID_CHARS);
  }

  static String newSecret() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Ids.randomBytes(SECRET_BYTES));
  }

  static String format(String keyId, String secret) {
    return keyId + "_" + secret;
  }

  /** The key id and secret of a presented key, when it has the right shape. */
  static Optional<String[]> split(String presented) {
    if (presented == null
        || presented.length() != KEY_ID_LENGTH + 1 + SECRET_CHARS
        || !presented.startsWith(PREFIX)
        || presented.charAt(KEY_ID_LENGTH) != '_') {
      return Optional.empty();
    }
    String id = presented.substring(0, KEY_ID_LENGTH);
    if (!Ids.looksLike(PREFIX, id)) {
      return Optional.empty();
    }
    return Optional.of(new String[] {id, presented.substring(KEY_ID_LENGTH + 1)});
  }

  static byte[] hash(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
