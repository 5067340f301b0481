package io.secretsapi.crypto;

import static java.util.Objects.requireNonNull;

/**
 * One sealed secret value: the data key wrapped by the key-encryption key, and the value encrypted
 * under the data key. Both are bound to the secret id and version by associated data.
 *
 * @param wrappedKey the AES-256-GCM data key, encrypted by the key-encryption key
 * @param ciphertext the value, encrypted by the data key
 * @param kekKeyId the id of the key-encryption key that wrapped the data key
 */
public record SealedValue(byte[] wrappedKey, byte[] ciphertext, long kekKeyId) {
  public SealedValue {
    requireNonNull(wrappedKey, "wrappedKey");
    requireNonNull(ciphertext, "ciphertext");
  }

  @Override
  public String toString() {
    return "SealedValue[kek=" + kekKeyId + ", " + ciphertext.length + " bytes]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SealedValue s
        && java.util.Arrays.equals(wrappedKey, s.wrappedKey)
        && java.util.Arrays.equals(ciphertext, s.ciphertext)
        && kekKeyId == s.kekKeyId;
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(ciphertext);
  }
}
