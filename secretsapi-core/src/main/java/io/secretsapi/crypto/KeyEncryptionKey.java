package io.secretsapi.crypto;

import static java.util.Objects.requireNonNull;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The key-encryption key (KEK): a Tink AES-256-GCM keyset that wraps every data key.
 *
 * <p>It comes from a key file, created with mode 0600 on first start, or from the {@code
 * SECRETSAPI_KEK} environment variable (the same JSON keyset). The keyset may hold several keys
 * while a rotation runs: the primary wraps, every enabled key unwraps. Immutable and thread-safe;
 * {@link #toString()} prints key ids only.
 */
public final class KeyEncryptionKey {
  static {
    try {
      AeadConfig.register();
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final KeysetHandle keyset;
  private final Aead aead;
  private final Optional<Path> file;

  private KeyEncryptionKey(KeysetHandle keyset, Optional<Path> file) {
    this.keyset = keyset;
    this.file = file;
    try {
      this.aead = keyset.getPrimitive(RegistryConfiguration.get(), Aead.class);
    } catch (GeneralSecurityException e) {
      throw new KeyMaterialException("key-encryption keyset holds no usable AEAD key", e);
    }
  }

  /** Reads the key file as it is now, as after another node rotated the KEK in it. */
  public static KeyEncryptionKey load(Path file) {
    requireNonNull(file, "file");
    try {
      String json = Files.readString(file, StandardCharsets.UTF_8);
      return new KeyEncryptionKey(parse(json, "key file " + file), Optional.of(file));
    } catch (IOException e) {
      throw new KeyMaterialException("cannot read key file " + file, e);
    }
  }

  /** Reads the key file, or creates it (mode 0600, folder 0700) when it does not exist. */
  public static KeyEncryptionKey loadOrCreate(Path file) {
    requireNonNull(file, "file");
    try {
      if (Files.exists(file)) {
        String json = Files.readString(file, StandardCharsets.UTF_8);
        return new KeyEncryptionKey(parse(json, "key file " + file), Optional.of(file));
      }
      KeysetHandle fresh = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
      write(file, fresh);
      return new KeyEncryptionKey(fresh, Optional.of(file));
    } catch (IOException | GeneralSecurityException e) {
      throw new KeyMaterialException("cannot load or create key file " + file, e);
    }
  }

  /** Reads the KEK from a JSON keyset held in memory, such as an environment variable. */
  public static KeyEncryptionKey fromJson(String json, String origin) {
    requireNonNull(json, "json");
    return new KeyEncryptionKey(parse(json, origin), Optional.empty());
  }

  /** A new KEK as a JSON keyset, for {@code SECRETSAPI_KEK} or a key file made elsewhere. */
  public static String generateJson() {
    try {
      return TinkJsonProtoKeysetFormat.serializeKeyset(
          KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM),
          InsecureSecretKeyAccess.get());
    } catch (GeneralSecurityException e) {
      throw new KeyMaterialException("cannot generate a key-encryption key", e);
    }
  }

  private static KeysetHandle parse(String json, String origin) {
    try {
      return TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
    } catch (GeneralSecurityException e) {
      throw new KeyMaterialException(origin + " is not a Tink JSON keyset", e);
    }
  }

  private static void write(Path file, KeysetHandle keyset)
      throws IOException, GeneralSecurityException {
    String json = TinkJsonProtoKeysetFormat.serializeKeyset(keyset, InsecureSecretKeyAccess.get());
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    restrict(dir, "rwx------");
    Path tmp = Files.createTempFile(dir, ".kek", ".tmp");
    try {
      restrict(tmp, "rw-------");
      try (var ch =
          java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
        ch.write(java.nio.ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)));
        ch.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void restrict(Path path, String perms) throws IOException {
    try {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(perms));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: the operator secures the folder.
    }
  }

  /** Encrypts a data key; {@code associatedData} binds it to its secret id and version. */
  byte[] wrap(byte[] dataKey, byte[] associatedData) {
    try {
      return aead.encrypt(dataKey, associatedData);
    } catch (GeneralSecurityException e) {
      throw new KeyMaterialException("cannot wrap a data key", e);
    }
  }

  /** Decrypts a data key wrapped by any enabled key of this keyset. */
  byte[] unwrap(byte[] wrapped, byte[] associatedData) throws GeneralSecurityException {
    return aead.decrypt(wrapped, associatedData);
  }

  /** The id of the key that wraps new data keys. */
  public long primaryKeyId() {
    return Integer.toUnsignedLong(keyset.getPrimary().getId());
  }

  /** The ids of every key in the keyset. */
  public List<Long> keyIds() {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < keyset.size(); i++) {
      ids.add(Integer.toUnsignedLong(keyset.getAt(i).getId()));
    }
    return ids;
  }

  /** Where this KEK is kept, when it is kept in a file. */
  public Optional<Path> file() {
    return file;
  }

  /**
   * Adds a fresh key, makes it primary, and writes the key file before returning, so that a crash
   * in the middle of re-wrapping leaves a keyset that still opens every data key.
   */
  public KeyEncryptionKey withNewPrimary() {
    Path target = requireFile();
    try {
      KeysetHandle.Builder b = KeysetHandle.newBuilder(keyset);
      b.addEntry(
          KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
              .withRandomId()
              .makePrimary());
      KeysetHandle next = b.build();
      write(target, next);
      return new KeyEncryptionKey(next, file);
    } catch (IOException | GeneralSecurityException e) {
      throw new KeyMaterialException("cannot add a key to key file " + target, e);
    }
  }

  /** Drops every key but the primary and writes the key file: old wrappings stop opening. */
  public KeyEncryptionKey withPrimaryOnly() {
    Path target = requireFile();
    try {
      KeysetHandle.Builder b = KeysetHandle.newBuilder(keyset);
      for (int i = b.size() - 1; i >= 0; i--) {
        if (!b.getAt(i).isPrimary()) {
          b.deleteAt(i);
        }
      }
      KeysetHandle next = b.build();
      write(target, next);
      return new KeyEncryptionKey(next, file);
    } catch (IOException | GeneralSecurityException e) {
      throw new KeyMaterialException("cannot write key file " + target, e);
    }
  }

  private Path requireFile() {
    return file.orElseThrow(
        () ->
            new KeyMaterialException(
                "the key-encryption key came from the environment and cannot be rotated in place;"
                    + " use a key file, or set a new SECRETSAPI_KEK and restart",
                null));
  }

  @Override
  public String toString() {
    return "KeyEncryptionKey[primary=" + primaryKeyId() + ", keys=" + keyIds() + "]";
  }
}
