package io.secretsapi.crypto;

import static java.util.Objects.requireNonNull;

import com.google.crypto.tink.subtle.AesGcmJce;
import io.secretsapi.Ids;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * Envelope encryption of secret values.
 *
 * <p>Each value gets a fresh 256-bit data key from {@link java.security.SecureRandom}; the value is
 * encrypted with AES-256-GCM under it, and the data key is wrapped by the {@link KeyEncryptionKey}.
 * Both encryptions carry associated data naming the secret id and version, so a ciphertext moved to
 * another row, or another version, fails to open. Thread-safe; the KEK can be replaced while the
 * broker runs.
 */
public final class Envelope {
  private static final String DOMAIN = "secretsapi/secret-value/v1";
  private volatile KeyEncryptionKey kek;

  public Envelope(KeyEncryptionKey kek) {
    this.kek = requireNonNull(kek, "kek");
  }

  /** The KEK in use. */
  public KeyEncryptionKey kek() {
    return kek;
  }

  /** Replaces the KEK, as a rotation does. */
  public void useKek(KeyEncryptionKey next) {
    this.kek = requireNonNull(next, "next");
  }

  /** Seals {@code plaintext} for one secret version. */
  public SealedValue seal(String secretId, int version, byte[] plaintext) {
    return seal(DOMAIN, secretId + "#" + version, plaintext);
  }

  /** Seals {@code plaintext} for a named purpose other than a secret value, such as a vault key. */
  public SealedValue seal(String domain, String name, byte[] plaintext) {
    byte[] ad = associatedData(domain, name);
    byte[] dataKey = Ids.randomBytes(32);
    try {
      byte[] ciphertext = new AesGcmJce(dataKey).encrypt(plaintext, ad);
      KeyEncryptionKey k = kek;
      return new SealedValue(k.wrap(dataKey, ad), ciphertext, k.primaryKeyId());
    } catch (GeneralSecurityException e) {
      throw new KeyMaterialException("cannot seal " + name, e);
    } finally {
      Arrays.fill(dataKey, (byte) 0);
    }
  }

  /**
   * Opens a sealed secret version.
   *
   * @throws DecryptionFailedException when either layer fails authentication; nothing partial is
   *     returned
   */
  public byte[] open(String secretId, int version, SealedValue sealed) {
    return open(DOMAIN, secretId + "#" + version, sealed);
  }

  /** Opens a value sealed with {@link #seal(String, String, byte[])}. */
  public byte[] open(String domain, String name, SealedValue sealed) {
    byte[] ad = associatedData(domain, name);
    byte[] dataKey = null;
    try {
      dataKey = kek.unwrap(sealed.wrappedKey(), ad);
      return new AesGcmJce(dataKey).decrypt(sealed.ciphertext(), ad);
    } catch (GeneralSecurityException e) {
      throw new DecryptionFailedException(
          "sealed value of "
              + name
              + " failed authentication: it was altered, moved from another"
              + " row, or wrapped by a key-encryption key that is not loaded",
          e);
    } finally {
      if (dataKey != null) {
        Arrays.fill(dataKey, (byte) 0);
      }
    }
  }

  /** Re-wraps the data key of a sealed value under the current primary KEK key. */
  public SealedValue rewrap(String domain, String name, SealedValue sealed) {
    byte[] ad = associatedData(domain, name);
    byte[] dataKey = null;
    try {
      dataKey = kek.unwrap(sealed.wrappedKey(), ad);
      KeyEncryptionKey k = kek;
      return new SealedValue(k.wrap(dataKey, ad), sealed.ciphertext(), k.primaryKeyId());
    } catch (GeneralSecurityException e) {
      throw new DecryptionFailedException("data key of " + name + " failed authentication", e);
    } finally {
      if (dataKey != null) {
        Arrays.fill(dataKey, (byte) 0);
      }
    }
  }

  /** The domain under which secret versions are sealed. */
  public static String secretDomain() {
    return DOMAIN;
  }

  private static byte[] associatedData(String domain, String name) {
    return (domain + "\n" + name).getBytes(StandardCharsets.UTF_8);
  }
}
