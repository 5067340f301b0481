package io.secretsapi.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reads a secret value from a file or standard input, so it stays out of shell history. */
final class SecretValues {
  private SecretValues() {}

  static Optional<String> read(String value, String valueFile) {
    if (value != null && valueFile != null) {
      throw new IllegalArgumentException("give --value or --value-file, not both");
    }
    if (valueFile == null) {
      return Optional.ofNullable(value);
    }
    try {
      String v =
          valueFile.equals("-")
              ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
              : Files.readString(Path.of(valueFile), StandardCharsets.UTF_8);
      return Optional.of(v.endsWith("\n") ? v.substring(0, v.length() - 1) : v);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the value from " + valueFile, e);
    }
  }
}
